package io.stratadb.engine.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A {@link CommittingLeader} in a child JVM, killed with SIGKILL by the test: the old leader of a failover test.
 *
 * <p>The child's standard output goes to a file, which keeps every line it printed, also after the kill, so
 * {@link #acknowledgedKeys()} is exactly the set of commits the leader acknowledged. Its directory is {@code
 * <dir>/old-leader} (reopen it as a follower to check that the old leader catches up).
 *
 * <p>Invariants: started with this JVM's {@code java} binary and class path; {@link #close()} kills it if it
 * still runs.
 *
 * <p>Thread safety: confined to the test thread. Ownership: the test closes it (try-with-resources).
 */
public final class LeaderJvm implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(90);

    private final Process process;
    private final Path out;
    private final Path directory;

    private LeaderJvm(Process process, Path out, Path directory) {
        this.process = process;
        this.out = out;
        this.directory = directory;
    }

    /**
     * Starts the leader in {@code dir}/{@value CommittingLeader#NODE} on {@code pageLog}, with these JVM options
     * (such as {@code -Xmx256m}), and waits until it has created its table and starts committing.
     */
    public static LeaderJvm start(Path dir, URI pageLog, String... jvmOptions)
            throws IOException, InterruptedException {
        Path directory = dir.resolve(CommittingLeader.NODE);
        Path out = dir.resolve("leader.out");
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(List.of(jvmOptions));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(CommittingLeader.class.getName());
        cmd.add(directory.toString());
        cmd.add(pageLog.toString());
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectOutput(out.toFile()) // a file keeps every line the child printed, also after the kill
                .start();
        LeaderJvm jvm = new LeaderJvm(p, out, directory);
        try {
            jvm.awaitLines("READY", 1);
        } catch (RuntimeException | Error | InterruptedException e) {
            p.destroyForcibly();
            throw e;
        }
        return jvm;
    }

    /** The old leader's directory. */
    public Path directory() {
        return directory;
    }

    /** Waits until the leader has acknowledged at least {@code count} commits. */
    public void awaitAcks(int count) throws InterruptedException {
        awaitLines("ACK ", count);
    }

    /** Waits (up to 90 s) until the output has {@code count} lines starting with {@code prefix}. */
    public void awaitLines(String prefix, int count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (lines(prefix).size() >= count) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the leader JVM did not print " + count + " lines starting with '" + prefix + "'");
    }

    /** SIGKILL, mid-write; returns once the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the killed leader JVM is gone");
    }

    /** The keys of every commit the leader acknowledged (all of them once it was killed). */
    public Set<Integer> acknowledgedKeys() {
        Set<Integer> acked = new HashSet<>();
        for (String line : lines("ACK ")) {
            acked.add(Integer.parseInt(line.substring(4).trim()));
        }
        return acked;
    }

    private List<String> lines(String prefix) {
        if (!Files.exists(out)) {
            return List.of();
        }
        try {
            return Files.readAllLines(out, StandardCharsets.UTF_8).stream()
                    .filter(l -> l.startsWith(prefix))
                    .toList();
        } catch (IOException e) {
            throw new AssertionError("cannot read the leader JVM's output " + out, e);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
