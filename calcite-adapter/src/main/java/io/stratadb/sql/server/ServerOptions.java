package io.stratadb.sql.server;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The command-line options of {@code strata-server}.
 *
 * <p>Invariants: {@code url} starts with {@code jdbc:strata:}; {@code port} is 0..65535 (0 picks a free
 * port); a keystore comes with its password; {@code idleSeconds > 0}.
 *
 * <p>Thread safety: immutable.
 *
 * @param port TCP port
 * @param url the database's {@code jdbc:strata:} URL
 * @param bind address to listen on (default {@code 127.0.0.1})
 * @param users user file for HTTP basic authentication, or null for none (loopback only)
 * @param keystore PKCS12 or JKS keystore for TLS, or null for plain HTTP
 * @param keystorePassword the keystore's password
 * @param idleSeconds seconds after which an idle remote connection is closed and its transaction rolled back
 */
public record ServerOptions(
        int port,
        String url,
        String bind,
        @Nullable Path users,
        @Nullable Path keystore,
        @Nullable String keystorePassword,
        int idleSeconds) {
    /** The usage text. */
    public static final String USAGE = """
            usage: strata-server --port <n> --url <jdbc:strata:...> [--bind <address>]
                                 [--users <file>] [--keystore <file> --keystore-password <pw>]
                                 [--idle-timeout <seconds>]
                   strata-server --hash-password <user>   (reads the password from standard input)
            Listens on 127.0.0.1 unless --bind says otherwise; a non-loopback address needs --users.""";

    public ServerOptions {
        if (port < 0 || port > 65535) {
            throw bad("--port must be 0..65535, got " + port);
        }
        if (!url.startsWith("jdbc:strata:")) {
            throw bad("--url must be a jdbc:strata: URL, got " + url);
        }
        if (keystore != null && keystorePassword == null) {
            throw bad("--keystore needs --keystore-password");
        }
        if (idleSeconds <= 0) {
            throw bad("--idle-timeout must be positive, got " + idleSeconds);
        }
    }

    /** Parses command-line arguments. */
    public static ServerOptions parse(String[] args) {
        Integer port = null;
        String url = null;
        String bind = "127.0.0.1";
        Path users = null;
        Path keystore = null;
        String keystorePassword = null;
        int idle = 600;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw bad("missing value after " + a);
            }
            String v = args[++i];
            switch (a) {
                case "--port" -> port = number(a, v);
                case "--url" -> url = v;
                case "--bind" -> bind = v;
                case "--users" -> users = Path.of(v);
                case "--keystore" -> keystore = Path.of(v);
                case "--keystore-password" -> keystorePassword = v;
                case "--idle-timeout" -> idle = number(a, v);
                default -> throw bad("unknown option " + a);
            }
        }
        if (port == null || url == null) {
            throw bad("--port and --url are required");
        }
        return new ServerOptions(port, url, bind, users, keystore, keystorePassword, idle);
    }

    private static int number(String option, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw bad(option + " needs a number, got " + v);
        }
    }

    private static StrataException bad(String message) {
        return new StrataException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
