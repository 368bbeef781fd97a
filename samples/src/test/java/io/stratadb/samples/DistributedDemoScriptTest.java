package io.stratadb.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code bin/strata-bk-demo} for real (bash, the cluster script, two server scripts, the SQL client), so
 * that the documented commands cannot rot: the demo must finish with status 0, show each step, and leave no
 * server or cluster listening behind. {@code STRATA_CLASSPATH} gives the scripts this test's class path, so the
 * test does not depend on packaged jars.
 */
class DistributedDemoScriptTest {
    @TempDir
    Path dir;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void theDemoScriptRunsTheClusterTwoServersAndATakeOverEndToEnd() throws Exception {
        Path script = Path.of("..", "bin", "strata-bk-demo").toRealPath();
        int zk = freePort();
        int p1 = freePort();
        int p2 = freePort();
        Path out = dir.resolve("demo.out");
        ProcessBuilder pb = new ProcessBuilder(
                        "bash",
                        script.toString(),
                        "--zk-port",
                        Integer.toString(zk),
                        "--bookie-port",
                        Integer.toString(freePort()),
                        "--ports",
                        p1 + "," + p2)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        Map<String, String> env = pb.environment();
        env.put("STRATA_CLASSPATH", System.getProperty("java.class.path"));
        env.put("STRATA_JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        env.put("TMPDIR", dir.toString());
        String javaHome = System.getProperty("java.home");
        env.put("PATH", Path.of(javaHome, "bin") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        Process p = pb.start();
        boolean done = p.waitFor(150, TimeUnit.SECONDS);
        if (!done) {
            p.destroy(); // SIGTERM: the script's trap stops what it started
            p.waitFor(30, TimeUnit.SECONDS);
            p.destroyForcibly();
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        System.out.println(text);
        assertTrue(done, "the demo did not finish within 150 s:\n" + text);
        assertEquals(0, p.exitValue(), "the demo failed:\n" + text);
        for (String step : List.of(
                "demo: leader   n1 LEADER",
                "demo: follower n2 FOLLOWER",
                "demo: the follower reads them through the shared log: [1:ada:100, 2:grace:250, 3:edsger:75]",
                "demo: a write on the follower is refused: SQLSTATE 25006",
                "demo: killing the leader n1 (SIGKILL",
                "demo: the follower took over by itself",
                "n2 LEADER (epoch 2)",
                "demo: every acknowledged row is there: [1:ada:100, 2:grace:250, 3:edsger:75]",
                "demo: the new leader accepts writes: [1:ada:100, 2:grace:250, 3:edsger:75, 4:barbara:10]",
                "demo: stopped everything")) {
            assertTrue(text.contains(step), "missing '" + step + "' in:\n" + text);
        }
        for (int port : new int[] {zk, p1, p2}) {
            assertFalse(listening(port), "port " + port + " still listens after the demo:\n" + text);
        }
        try (var left = Files.list(dir)) {
            assertEquals(List.of(out), left.toList(), "the demo removes its temporary directory");
        }
    }
}
