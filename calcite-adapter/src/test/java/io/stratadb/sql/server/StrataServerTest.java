package io.stratadb.sql.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.StrataException;
import io.stratadb.sql.testing.TestDb;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The network server, reached with the shaded Avatica client driver. */
class StrataServerTest {
    @TempDir
    Path dir;

    static {
        try {
            Class.forName("org.apache.calcite.avatica.remote.Driver");
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static ServerOptions options(String url, String bind, @Nullable Path users, int idle) {
        return new ServerOptions(0, url, bind, users, null, null, idle);
    }

    @Test
    void passwordsAreStoredHashedAndVerified() {
        String h = PasswordHash.hash("s3cret".toCharArray());
        assertTrue(h.startsWith("pbkdf2$"), h);
        assertFalse(h.contains("s3cret"));
        assertTrue(PasswordHash.verify("s3cret".toCharArray(), h));
        assertFalse(PasswordHash.verify("S3cret".toCharArray(), h));
        assertFalse(PasswordHash.verify("s3cret".toCharArray(), "pbkdf2$x$y$z"));
        assertThrows(StrataException.class, () -> UserFile.parse("users", List.of("ann:plain")));
        assertTrue(UserFile.parse("users", List.of("# comment", "ann:" + h)).check("ann", "s3cret".toCharArray()));
    }

    @Test
    void nonLoopbackAddressWithoutUsersIsRefused() {
        SQLException e = assertThrows(
                SQLException.class,
                () -> StrataServer.start(new ServerOptions(0, "jdbc:strata:", "0.0.0.0", null, null, null, 60)));
        assertEquals("22023", e.getSQLState());
        assertTrue(String.valueOf(e.getMessage()).contains("--users"), e.getMessage());
        assertThrows(StrataException.class, () -> ServerOptions.parse(new String[] {"--port", "1"}));
        assertThrows(
                StrataException.class,
                () -> ServerOptions.parse(new String[] {"--port", "x", "--url", "jdbc:strata:"}));
    }

    @Test
    void remoteClientsCommitAndRollBack() throws Exception {
        TestDb.assumeEngine();
        try (StrataServer server = StrataServer.start(options(TestDb.newUrl(), "127.0.0.1", null, 60));
                Connection a = DriverManager.getConnection(server.clientUrl());
                Connection b = DriverManager.getConnection(server.clientUrl())) {
            try (Statement s = a.createStatement()) {
                s.execute("CREATE TABLE r (id INT PRIMARY KEY, v VARCHAR(5))");
                a.setAutoCommit(false);
                s.executeUpdate("INSERT INTO r VALUES (1, 'one')");
                assertEquals("0", count(b));
                a.commit();
                assertEquals("1", count(b));
                s.executeUpdate("DELETE FROM r");
                a.rollback();
                assertEquals("1", count(b));
            }
            SQLException dup = assertThrows(SQLException.class, () -> {
                try (Statement s = b.createStatement()) {
                    s.executeUpdate("INSERT INTO r VALUES (1, 'again')");
                }
            });
            assertEquals("23505", dup.getSQLState(), dup.toString());
        }
    }

    @Test
    void clientsWithoutValidCredentialsAreRefusedAndLearnNothing() throws Exception {
        TestDb.assumeEngine();
        Path users = dir.resolve("users");
        Files.writeString(users, "ann:" + PasswordHash.hash("pw-ann".toCharArray()) + "\n", StandardCharsets.UTF_8);
        try (StrataServer server = StrataServer.start(options(TestDb.newUrl(), "127.0.0.1", users, 60))) {
            String base = server.clientUrl() + ";authentication=BASIC";
            try (Connection ok = DriverManager.getConnection(base + ";avatica_user=ann;avatica_password=pw-ann");
                    Statement s = ok.createStatement();
                    ResultSet rs = s.executeQuery("SELECT role FROM sys.node")) {
                assertTrue(rs.next());
            }
            // The Avatica client reports HTTP 401 as an unchecked exception on first use.
            assertThrows(
                    Exception.class,
                    () -> DriverManager.getConnection(base + ";avatica_user=ann;avatica_password=nope")
                            .createStatement()
                            .executeQuery("SELECT * FROM sys.tables"));
            assertThrows(
                    Exception.class,
                    () -> DriverManager.getConnection(server.clientUrl())
                            .createStatement()
                            .executeQuery("SELECT * FROM sys.tables"));
            HttpResponse<String> raw = rawPost(server.port());
            assertEquals(401, raw.statusCode());
            assertEquals("", raw.body(), "a refused client learns nothing");
        }
    }

    @Test
    void idleRemoteSessionsAreRolledBackAndReleased() throws Exception {
        TestDb.assumeEngine();
        String url = TestDb.newUrl();
        // idle after 3 s: long enough that a slow first plan between the abandoned connection's calls is not idleness
        try (StrataServer server = StrataServer.start(options(url, "127.0.0.1", null, 3));
                Connection local = DriverManager.getConnection(url)) {
            try (Statement s = local.createStatement()) {
                s.execute("CREATE TABLE idle (id INT PRIMARY KEY)");
            }
            Connection abandoned = DriverManager.getConnection(server.clientUrl());
            abandoned.setAutoCommit(false);
            try (Statement s = abandoned.createStatement()) {
                s.executeUpdate("INSERT INTO idle VALUES (1)");
            }
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (server.openConnections() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                server.evictIdle();
            }
            assertEquals(0, server.openConnections(), "the idle connection was closed");
            try (Statement s = local.createStatement()) {
                assertEquals(1, s.executeUpdate("INSERT INTO idle VALUES (1)"), "its insert was rolled back");
            }
        }
    }

    @Test
    void tlsServesClientsThatTrustItsCertificate() throws Exception {
        TestDb.assumeEngine();
        Path keystore = dir.resolve("server.p12");
        Path cert = dir.resolve("server.pem");
        Path truststore = dir.resolve("trust.p12");
        keytool(
                "-genkeypair",
                "-alias",
                "strata",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit");
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "strata",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "changeit",
                "-file",
                cert.toString());
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "strata",
                "-file",
                cert.toString(),
                "-storetype",
                "PKCS12",
                "-keystore",
                truststore.toString(),
                "-storepass",
                "changeit");
        ServerOptions o = new ServerOptions(0, TestDb.newUrl(), "127.0.0.1", null, keystore, "changeit", 60);
        try (StrataServer server = StrataServer.start(o)) {
            assertTrue(server.clientUrl().startsWith("jdbc:avatica:remote:url=https://"), server.clientUrl());
            String url = server.clientUrl() + ";truststore=" + truststore + ";truststore_password=changeit";
            try (Connection c = DriverManager.getConnection(url);
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT role FROM sys.node")) {
                assertTrue(rs.next());
                assertEquals("LEADER", rs.getString(1));
            }
            assertThrows(IOException.class, () -> rawPost(server.port()), "plain HTTP is not served");
        }
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "keytool " + String.join(" ", args) + ": " + out);
    }

    private static String count(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM r")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static HttpResponse<String> rawPost(int port) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"request\":\"openConnection\",\"connectionId\":\"x\"}"))
                .build();
        return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
    }
}
