package io.stratadb.sql.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.sql.testing.TestDb;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts the shell for real in a child JVM and feeds it a script on standard input. */
class StrataShellTest {
    @TempDir
    Path dir;

    /** Runs the shell in {@code dir} with {@code script} on stdin; returns stdout and stderr together. */
    private String run(String script) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                StrataShell.class.getName()));
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(script.getBytes(StandardCharsets.UTF_8));
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("shell did not exit; output: " + new String(out, StandardCharsets.UTF_8));
        }
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), text);
        return text;
    }

    @Test
    void helpListsTheShellCommands() throws Exception {
        String out = run("!help\n!quit\n");
        assertTrue(out.contains("!quit") && out.contains("!tables"), out);
    }

    @Test
    void scriptCreatesInsertsAndSelectsInTheDefaultDirectory() throws Exception {
        TestDb.assumeEngine();
        String out = run("""
                CREATE TABLE greet (id INT PRIMARY KEY, word VARCHAR(20));
                INSERT INTO greet VALUES (1, 'hello'), (2, 'shell');
                SELECT word FROM greet ORDER BY id;
                !quit
                """);
        assertTrue(out.contains("hello") && out.contains("shell"), out);
        assertTrue(out.contains("2 rows"), out);
        assertTrue(Files.isDirectory(dir.resolve(StrataShell.DEFAULT_DIR)), "database created in ./strata-data");
    }

    @Test
    void givenUrlIsKept() {
        String[] a = StrataShell.arguments(new String[] {"-u", "jdbc:strata:name=x"}, dir, true);
        assertEquals(List.of("-n", "sa", "-p", ""), List.of(a).subList(0, 4), "no prompt for a user");
        assertEquals("jdbc:strata:name=x", a[a.length - 1]);
        String[] d = StrataShell.arguments(new String[0], dir, true);
        assertEquals("jdbc:strata:path=" + dir.toAbsolutePath(), d[1]);
    }
}
