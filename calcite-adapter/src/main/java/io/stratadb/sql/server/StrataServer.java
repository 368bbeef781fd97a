package io.stratadb.sql.server;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.sql.jdbc.SqlErrors;
import io.stratadb.sql.jdbc.StrataDriver;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.calcite.avatica.remote.Driver;
import org.apache.calcite.avatica.server.HttpServer;
import org.apache.calcite.avatica.server.ServerCustomizer;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The StrataDB network server: one database served over Avatica HTTP with protobuf serialization.
 *
 * <p>Invariants: (1) it listens on loopback unless {@code --bind} names another address, and then it refuses to
 * start without a user file; (2) with a user file every request needs valid HTTP basic credentials; (3) idle
 * remote connections are closed after the idle timeout, rolling back their transactions; (4) the database stays
 * open (and its directory locked) from start to {@link #close()}.
 *
 * <p>Thread safety: thread-safe; {@link #close()} is idempotent.
 */
public final class StrataServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StrataServer.class);

    private final HttpServer http;
    private final StrataJdbcMeta meta;
    private final Connection anchor;
    private final ScheduledExecutorService reaper;
    private final String scheme;

    private StrataServer(
            HttpServer http, StrataJdbcMeta meta, Connection anchor, ScheduledExecutorService reaper, String scheme) {
        this.http = http;
        this.meta = meta;
        this.anchor = anchor;
        this.reaper = reaper;
        this.scheme = scheme;
    }

    /** Starts a server with the options. */
    public static StrataServer start(ServerOptions o) throws SQLException {
        UserFile users = o.users() == null ? null : UserFile.load(o.users());
        if (!isLoopback(o.bind()) && users == null) {
            throw SqlErrors.create(
                    "refusing to listen on " + o.bind() + " without authentication: pass --users <file>",
                    ErrorCode.INVALID_ARGUMENT.sqlState(),
                    null);
        }
        // Loading the driver registers it for Avatica's JdbcMeta, which connects through DriverManager.
        Connection anchor = new StrataDriver().connect(o.url(), new Properties());
        if (anchor == null) {
            throw SqlErrors.create("not a StrataDB URL: " + o.url(), ErrorCode.INVALID_ARGUMENT.sqlState(), null);
        }
        try {
            Properties info = new Properties();
            info.setProperty("avatica.connectioncache.expiryduration", Integer.toString(o.idleSeconds()));
            info.setProperty("avatica.connectioncache.expiryunit", TimeUnit.SECONDS.name());
            info.setProperty("avatica.statementcache.expiryduration", Integer.toString(o.idleSeconds()));
            info.setProperty("avatica.statementcache.expiryunit", TimeUnit.SECONDS.name());
            StrataJdbcMeta meta = new StrataJdbcMeta(o.url(), info);
            ServerCustomizer<Server> customizer = server -> customize(server, o.bind(), users);
            HttpServer.Builder<Server> b = new HttpServer.Builder<Server>()
                    .withHandler(new StrataService(meta), Driver.Serialization.PROTOBUF)
                    .withPort(o.port())
                    .withServerCustomizers(List.of(customizer), Server.class);
            if (o.keystore() != null) {
                String pw = String.valueOf(o.keystorePassword());
                b.withTLS(o.keystore().toFile(), pw, o.keystore().toFile(), pw);
            }
            HttpServer http = b.build();
            http.start();
            ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "strata-server-idle-reaper");
                t.setDaemon(true);
                return t;
            });
            long period = Math.max(1, o.idleSeconds() / 4);
            ScheduledFuture<?> reaping = reaper.scheduleAtFixedRate(meta::evictIdle, period, period, TimeUnit.SECONDS);
            LOG.debug("idle connections are evicted every {} s ({})", period, reaping);
            String scheme = o.keystore() == null ? "http" : "https";
            LOG.info("StrataDB server listening on {}://{}:{} for {}", scheme, o.bind(), http.getPort(), o.url());
            return new StrataServer(http, meta, anchor, reaper, scheme);
        } catch (RuntimeException | SQLException e) {
            anchor.close();
            throw SqlErrors.translate(e);
        }
    }

    private static void customize(Server server, String bind, @Nullable UserFile users) {
        for (Connector c : server.getConnectors()) {
            if (c instanceof ServerConnector sc) {
                sc.setHost(bind);
            }
        }
        if (users != null) {
            Handler inner = server.getHandler();
            BasicAuthHandler auth = new BasicAuthHandler(users);
            auth.setHandler(inner);
            server.setHandler(auth);
        }
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new StrataException(ErrorCode.INVALID_ARGUMENT, "unknown --bind address " + host, e);
        }
    }

    /** The port it listens on. */
    public int port() {
        return http.getPort();
    }

    /** The Avatica client URL of this server, for loopback clients. */
    public String clientUrl() {
        return "jdbc:avatica:remote:url=" + scheme + "://127.0.0.1:" + port() + ";serialization=protobuf";
    }

    /** The number of remote connections open now. */
    long openConnections() {
        return meta.openConnections();
    }

    /** Evicts idle remote connections now (the reaper also does this periodically). */
    void evictIdle() {
        meta.evictIdle();
    }

    @Override
    public void close() throws SQLException {
        reaper.shutdownNow();
        http.stop();
        anchor.close();
    }

    /** Command-line entry point; see {@link ServerOptions#USAGE}. */
    @SuppressForbidden(reason = "a command-line main prints its usage, errors and hashed passwords")
    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--hash-password")) {
            System.out.println(args[1] + ":" + PasswordHash.hash(readPassword()));
            return;
        }
        ServerOptions o;
        try {
            o = ServerOptions.parse(args);
        } catch (StrataException e) {
            System.err.println(e.getMessage());
            System.err.println(ServerOptions.USAGE);
            Runtime.getRuntime().exit(2);
            return;
        }
        try {
            StrataServer s = start(o);
            System.out.println("StrataDB server listening on " + s.scheme + "://" + o.bind() + ":" + s.port());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    s.close();
                } catch (SQLException e) {
                    LOG.warn("error while stopping the server", e);
                }
            }));
            s.http.join();
        } catch (SQLException e) {
            System.err.println("strata-server: " + e.getMessage() + " [" + e.getSQLState() + "]");
            Runtime.getRuntime().exit(1);
        }
    }

    @SuppressForbidden(reason = "reads the password from standard input")
    private static char[] readPassword() throws java.io.IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = r.readLine();
        return line == null ? new char[0] : line.toCharArray();
    }
}
