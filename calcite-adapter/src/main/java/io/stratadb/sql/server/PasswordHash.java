package io.stratadb.sql.server;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A salted PBKDF2-HMAC-SHA256 password hash in the text form {@code pbkdf2$<iterations>$<salt>$<hash>} (salt
 * and hash in base64), as stored in the server's user file.
 *
 * <p>Invariants: verification compares in constant time; a malformed hash text never verifies.
 *
 * <p>Thread safety: stateless, thread-safe.
 */
public final class PasswordHash {
    /** Iterations for new hashes. */
    static final int ITERATIONS = 120_000;

    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHash() {}

    /** A new hash of {@code password} with a random salt. */
    public static String hash(char[] password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return format(ITERATIONS, salt, derive(password, salt, ITERATIONS));
    }

    /** Whether {@code password} matches the hash text. */
    public static boolean verify(char[] password, String hashText) {
        String[] p = hashText.split("\\$", -1);
        if (p.length != 4 || !p[0].equals("pbkdf2")) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(p[1]);
            byte[] salt = Base64.getDecoder().decode(p[2]);
            byte[] expected = Base64.getDecoder().decode(p[3]);
            if (iterations < 1 || expected.length == 0) {
                return false;
            }
            return MessageDigest.isEqual(expected, derive(password, salt, iterations));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether the text has the form of a hash (it is not a plain password). */
    static boolean isHash(String text) {
        return text.startsWith("pbkdf2$") && text.split("\\$", -1).length == 4;
    }

    private static String format(int iterations, byte[] salt, byte[] hash) {
        Base64.Encoder b64 = Base64.getEncoder();
        return "pbkdf2$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(spec)
                    .getEncoded();
        } catch (GeneralSecurityException e) {
            throw new StrataException(ErrorCode.INTERNAL, "PBKDF2WithHmacSHA256 is not available", e);
        }
    }
}
