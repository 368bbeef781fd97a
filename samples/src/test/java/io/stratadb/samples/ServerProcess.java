package io.stratadb.samples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code strata-server} in a child JVM (the real {@code StrataServer} main, Avatica HTTP on a free loopback
 * port), for the multi-process tests; its output goes to a file.
 *
 * <p>Invariants: once {@link #start} returns, the server listens on {@link #port()}; {@link #kill()} is SIGKILL.
 *
 * <p>Thread safety: thread-safe (immutable apart from the process).
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("StrataDB server listening on http://[^:]+:(\\d+)");

    private final String name;
    private final Process process;
    private final Path out;
    private final int port;

    private ServerProcess(String name, Process process, Path out, int port) {
        this.name = name;
        this.process = process;
        this.out = out;
        this.port = port;
    }

    /** Starts a server for the JDBC URL {@code url} and waits up to 60 s until it listens. */
    static ServerProcess start(String name, String url, Path outDir) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path out = outDir.resolve(name + ".out");
        Process p = new ProcessBuilder(
                        java,
                        "-Xmx256m",
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "io.stratadb.sql.server.StrataServer",
                        "--port",
                        "0",
                        "--url",
                        url)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String text = Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
            Matcher m = LISTENING.matcher(text);
            if (m.find()) {
                return new ServerProcess(name, p, out, Integer.parseInt(m.group(1)));
            }
            if (!p.isAlive()) {
                throw new AssertionError("server " + name + " exited with " + p.exitValue() + ":\n" + text);
            }
            Thread.sleep(50);
        }
        p.destroyForcibly();
        throw new AssertionError("server " + name + " did not listen within 60 s:\n" + tail(out));
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    /** The Avatica client URL. */
    String clientUrl() {
        return "jdbc:avatica:remote:url=http://127.0.0.1:" + port + ";serialization=protobuf";
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(clientUrl());
    }

    /** {@code SYS.NODE}'s role of this server, or "DOWN" if it does not answer. */
    String role() {
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT ROLE FROM SYS.NODE")) {
            return r.next() ? r.getString(1) : "NONE";
        } catch (SQLException e) {
            return "DOWN";
        }
    }

    /** SIGKILL, and waits for the process to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The last lines of the server's output, for failure messages. */
    String tail() {
        return name + ":\n" + tail(out);
    }

    private static String tail(Path out) {
        try {
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** Copies the server's output to {@code target/server-logs/<prefix>-<name>.out}, for a look after a run. */
    void keepLog(String prefix) {
        try {
            Path keep = Path.of("target", "server-logs");
            Files.createDirectories(keep);
            Files.copy(out, keep.resolve(prefix + "-" + name + ".out"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // only a convenience
        }
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM: the shutdown hook closes the database
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
