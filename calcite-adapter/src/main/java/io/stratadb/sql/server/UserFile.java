package io.stratadb.sql.server;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's users: one {@code name:hash} line each (see {@link PasswordHash}); blank lines and lines
 * starting with {@code #} are ignored.
 *
 * <p>Invariants: every entry has a non-empty name and a hash (a plain-text password is refused at load, naming
 * the line); at least one user.
 *
 * <p>Thread safety: immutable.
 */
public final class UserFile {
    private final Map<String, String> hashes;

    private UserFile(Map<String, String> hashes) {
        this.hashes = Map.copyOf(hashes);
    }

    /** Loads and checks a user file. */
    public static UserFile load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StrataException(ErrorCode.IO_ERROR, "cannot read user file " + file + ": " + e.getMessage(), e);
        }
        return parse(file.toString(), lines);
    }

    static UserFile parse(String source, List<String> lines) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            String name = colon < 0 ? "" : line.substring(0, colon).trim();
            String hash = colon < 0 ? "" : line.substring(colon + 1).trim();
            if (name.isEmpty() || !PasswordHash.isHash(hash)) {
                throw new StrataException(
                        ErrorCode.INVALID_ARGUMENT,
                        source + " line " + (i + 1) + ": expected name:pbkdf2$... (make one with"
                                + " strata-server --hash-password); plain passwords are not accepted");
            }
            m.put(name, hash);
        }
        if (m.isEmpty()) {
            throw new StrataException(ErrorCode.INVALID_ARGUMENT, source + " has no users");
        }
        return new UserFile(m);
    }

    /** Whether the user exists and the password matches. */
    public boolean check(String user, char[] password) {
        String h = hashes.get(user);
        return h != null && PasswordHash.verify(password, h);
    }

    /** The number of users. */
    public int size() {
        return hashes.size();
    }
}
