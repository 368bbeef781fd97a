package io.stratadb.engine.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.Engine;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.Session;
import io.stratadb.api.TableHandle;
import io.stratadb.api.Transaction;
import io.stratadb.engine.StrataEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file page log stays bounded under a steady update workload with periodic checkpoints. */
class SpaceTest {
    @TempDir
    Path dir;

    private static long size(Path p) {
        try (Stream<Path> files = Files.walk(p)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(f -> {
                        try {
                            return Files.size(f);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void pageLogDirectoryStaysBoundedWithPeriodicCheckpoints() {
        EngineConfig cfg = EngineConfig.at(dir);
        List<Long> sizes = new ArrayList<>();
        List<String> files = new ArrayList<>();
        String pad = "x".repeat(200);
        int rounds = 30;
        try (Engine e = StrataEngine.open(cfg)) {
            TableHandle kv = e.createTable(CheckpointTest.KV, false);
            try (Session s = e.openSession()) {
                for (int round = 0; round < rounds; round++) {
                    Transaction t = s.begin();
                    for (int k = 0; k < 300; k++) {
                        t.upsert(kv, new Object[] {k, round + pad});
                    }
                    t.commit();
                    e.checkpoint();
                    sizes.add(size(dir.resolve("pagelog")));
                    files.add(java.util.Arrays.toString(
                            dir.resolve("pagelog").toFile().list()));
                }
            }
        }
        org.slf4j.LoggerFactory.getLogger(SpaceTest.class).info("page-log bytes after each checkpoint: {}", sizes);
        long early = sizes.get(4);
        long late = sizes.stream()
                .skip(rounds - 10)
                .mapToLong(Long::longValue)
                .max()
                .orElseThrow();
        // one round writes ~70 KB of log and ~70 KB of pages; without reclaim 30 rounds hold ~4 MB
        assertTrue(late <= 2 * early, "page log grew from " + early + " to " + late + " bytes: " + sizes + " " + files);
        try (Engine e = StrataEngine.open(cfg)) {
            try (Session s = e.openSession()) {
                Object[] row = s.begin().get(e.table("KV").orElseThrow(), new Object[] {7});
                assertEquals((rounds - 1) + pad, row == null ? null : row[1]);
            }
        }
    }
}
