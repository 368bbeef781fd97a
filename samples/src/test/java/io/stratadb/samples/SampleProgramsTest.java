package io.stratadb.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the sample programs the README points newcomers to, each in a fresh directory, and checks what they
 * print: the figures they show are the engine's behaviour, so a change that breaks them breaks this test.
 */
class SampleProgramsTest {
    @TempDir
    Path dir;

    /** The lines {@code program} printed to standard output. */
    private static List<String> run(ThrowingMain program) throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            program.run();
        } finally {
            System.setOut(saved);
        }
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        lines.forEach(saved::println); // in the test's output, for whoever reads a failure
        return lines;
    }

    @FunctionalInterface
    private interface ThrowingMain {
        void run() throws Exception;
    }

    @Test
    void quickStartWritesThreeRowsAndReadsThemBack() throws Exception {
        List<String> out =
                run(() -> QuickStart.main(new String[] {dir.resolve("qs").toString()}));
        assertTrue(out.get(0).startsWith("Found storage provider 'strata'"), out.get(0));
        assertEquals(List.of("1 -> hello", "2 -> from", "3 -> StrataDB"), out.subList(1, 4));
    }

    @Test
    void timeTravelShowsEachTimestampRule() throws Exception {
        String db = dir.resolve("tt").toString();
        List<String> out = run(() -> TimeTravel.main(new String[] {db}));
        assertTrue(out.contains("   as of 15: 100, as of 25: 120"), out.toString());
        assertTrue(out.contains("   moving stable back is refused: SQLSTATE 22023"), out.toString());
        assertTrue(
                out.contains("   a reader of the latest data meets it: PREPARE_CONFLICT, SQLSTATE 40001 (retry later)"),
                out.toString());
        assertTrue(out.contains("   as of 25 (before the prepare): 120"), out.toString());
        assertTrue(out.contains("   a reader that ignores prepared updates: 120"), out.toString());
        assertTrue(out.contains("   as of 30: 150, all durable: 35"), out.toString());
        assertTrue(out.contains("   before: 999"), out.toString());
        assertTrue(out.contains("   after: 150"), out.toString());
        assertTrue(out.contains("   latest: 150, as of 25: 120, as of 15: 100"), out.toString());
        List<String> again = run(() -> TimeTravel.main(new String[] {db}));
        assertTrue(again.get(0).contains("already holds the tour"), again.toString());
    }

    @Test
    void xaTransferMovesMoneyAtomicallyBetweenStrataAndH2() throws Exception {
        List<String> out =
                run(() -> XaTransfer.main(new String[] {dir.resolve("xa").toString()}));
        assertTrue(out.contains("Before:         Alice (StrataDB) 100, Bob (H2) 0, total 100"), out.toString());
        assertTrue(out.contains("After 30:       Alice (StrataDB) 70, Bob (H2) 30, total 100"), out.toString());
        assertTrue(
                out.contains("After 1000000:  Alice (StrataDB) 70, Bob (H2) 30, total 100 (rolled back in both)"),
                out.toString());
    }
}
