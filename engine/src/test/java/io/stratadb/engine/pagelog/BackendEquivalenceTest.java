package io.stratadb.engine.pagelog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stratadb.api.StrataException;
import io.stratadb.api.pagelog.CheckpointCompletion;
import io.stratadb.api.pagelog.LogRecord;
import io.stratadb.api.pagelog.PageLog;
import io.stratadb.api.pagelog.PageLogHandle;
import io.stratadb.api.pagelog.PageLogOptions;
import io.stratadb.api.pagelog.PageLogProviders;
import io.stratadb.api.pagelog.PageRecord;
import io.stratadb.api.pagelog.PutArgs;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded random workload of valid and invalid page writes, retries, discards, log records, completions,
 * abandons and reclaims runs against {@code memory:} and {@code file:}; every outcome and every read at every
 * LSN must be the same, also after the file log is reopened. Accepts {@code -Dseed=}.
 */
class BackendEquivalenceTest {
    private static final long SEED = Long.getLong("seed", System.nanoTime());
    private static final int TABLES = 2;
    private static final int PAGES = 6;

    @TempDir
    Path tmp;

    @Test
    void memoryAndFileBackendsAgree() {
        for (int run = 0; run < 4; run++) {
            long seed = SEED + run;
            URI mem = URI.create("memory:eq-" + UUID.randomUUID());
            URI file = URI.create(tmp.resolve("eq" + run).toUri() + "?segmentBytes=4096");
            try (PageLog m = open(mem, "m");
                    PageLog f = open(file, "f")) {
                m.claimEpoch();
                f.claimEpoch();
                workload(new Random(seed), m, f, "seed " + seed);
                compareAll(m, f, "seed " + seed);
            }
            try (PageLog m = open(mem, "m2");
                    PageLog f = open(file, "f2")) {
                compareAll(m, f, "seed " + seed + " after reopen");
            }
        }
        // the workload exercises both accepted and rejected writes
        assertEquals(true, OUTCOMES.getOrDefault("ok", 0) > 500, OUTCOMES + " seed " + SEED);
        assertEquals(true, OUTCOMES.getOrDefault("fails INVALID_ARGUMENT", 0) > 50, OUTCOMES + " seed " + SEED);
    }

    private static PageLog open(URI uri, String node) {
        return PageLogProviders.open(uri, new PageLogOptions(node, false));
    }

    private static void workload(Random rnd, PageLog m, PageLog f, String what) {
        for (int i = 0; i < 400; i++) {
            int step = i;
            long table = rnd.nextInt(TABLES);
            long page = 100L + rnd.nextInt(PAGES);
            int op = rnd.nextInt(100);
            String where = what + ", step " + step + ", op " + op + ", table " + table + ", page " + page;
            if (op < 45) {
                PutArgs args = pickPutArgs(rnd, m.openHandle(table), page);
                byte[] payload = ("s" + step).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                same(where, l -> l.openHandle(table).put(page, args, payload), m, f);
            } else if (op < 52) {
                long[] links = pickDiscard(rnd, m.openHandle(table), page);
                same(where, l -> l.openHandle(table).discard(page, links[0], links[1]), m, f);
            } else if (op < 80) {
                byte[] payload = ("log" + step).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                same(where, l -> l.append(step % 4, payload), m, f);
            } else if (op < 90) {
                same(
                        where,
                        l -> l.completeCheckpoint(step, 0, new byte[] {(byte) step})
                                .lsn(),
                        m,
                        f);
            } else if (op < 95) {
                same(
                        where,
                        l -> {
                            l.abandonCheckpoint();
                            return l.lastLsn();
                        },
                        m,
                        f);
            } else {
                List<CheckpointCompletion> all = m.completedCheckpoints();
                long ckpt = all.isEmpty() || rnd.nextInt(5) == 0
                        ? m.lastLsn()
                        : all.get(rnd.nextInt(all.size())).lsn();
                same(
                        where,
                        l -> {
                            l.reclaim(ckpt);
                            return 0L;
                        },
                        m,
                        f);
            }
        }
        m.sync(m.lastLsn());
        f.sync(f.lastLsn());
    }

    /** Mostly valid links (new full image, next delta, a retried delta), sometimes wrong ones. */
    private static PutArgs pickPutArgs(Random rnd, PageLogHandle h, long page) {
        List<PageRecord> chain = chainOrEmpty(h, page);
        int k = rnd.nextInt(10);
        if (chain.isEmpty()) {
            return k < 7 ? PutArgs.full(0) : PutArgs.delta(rnd.nextInt(50), rnd.nextInt(50));
        }
        PageRecord full = chain.get(0);
        PageRecord last = chain.get(chain.size() - 1);
        if (k < 2) {
            return PutArgs.full(full.lsn());
        }
        if (k < 6) {
            return PutArgs.delta(last.lsn(), full.lsn());
        }
        if (k < 8 && last.kind() == PageRecord.Kind.DELTA) {
            return PutArgs.delta(last.backlinkLsn(), full.lsn()); // retry
        }
        return k == 8 ? PutArgs.full(0) : PutArgs.delta(last.lsn(), last.lsn() + 1);
    }

    private static long[] pickDiscard(Random rnd, PageLogHandle h, long page) {
        List<PageRecord> chain = chainOrEmpty(h, page);
        if (chain.isEmpty()) {
            return new long[] {0, 0};
        }
        PageRecord e = chain.get(rnd.nextInt(chain.size()));
        return new long[] {
            rnd.nextInt(8) == 0 ? e.lsn() + 1000 : e.lsn(), chain.get(0).lsn()
        };
    }

    private static List<PageRecord> chainOrEmpty(PageLogHandle h, long page) {
        try {
            return h.get(page, 0);
        } catch (StrataException e) {
            return List.of(); // discarded
        }
    }

    /** Runs {@code op} on both logs: both return the same value or fail with the same code. */
    private static void same(String where, Function<PageLog, Long> op, PageLog m, PageLog f) {
        String om = outcome(op, m);
        assertEquals(om, outcome(op, f), where);
        OUTCOMES.merge(om.startsWith("ok") ? "ok" : om, 1, Integer::sum);
    }

    private static final java.util.Map<String, Integer> OUTCOMES = new java.util.concurrent.ConcurrentHashMap<>();

    private static String outcome(Function<PageLog, Long> op, PageLog l) {
        try {
            return "ok " + op.apply(l);
        } catch (StrataException e) {
            return "fails " + e.code();
        }
    }

    private static void compareAll(PageLog m, PageLog f, String what) {
        assertEquals(m.lastLsn(), f.lastLsn(), what);
        long last = m.lastLsn();
        assertEquals(describeLog(m.readLog(0, 100_000)), describeLog(f.readLog(0, 100_000)), what);
        assertEquals(describeCompletions(m), describeCompletions(f), what);
        assertEquals(m.stats(), f.stats(), what);
        for (long t = 0; t < TABLES; t++) {
            PageLogHandle hm = m.openHandle(t);
            PageLogHandle hf = f.openHandle(t);
            for (long at = 0; at <= last; at++) {
                assertArrayEquals(hm.pageIds(at), hf.pageIds(at), what + " pageIds at " + at);
                for (long p = 100; p < 100 + PAGES; p++) {
                    assertEquals(
                            describeChain(hm, p, at),
                            describeChain(hf, p, at),
                            what + " table " + t + " page " + p + " at " + at);
                }
            }
        }
    }

    private static String describeChain(PageLogHandle h, long page, long at) {
        try {
            List<String> out = new ArrayList<>();
            for (PageRecord r : h.get(page, at)) {
                out.add(r.lsn() + "/" + r.kind() + "/" + r.backlinkLsn() + "/" + r.baseLsn() + "/"
                        + new String(r.payload(), java.nio.charset.StandardCharsets.UTF_8));
            }
            return out.toString();
        } catch (StrataException e) {
            return "fails " + e.code();
        }
    }

    private static List<String> describeLog(List<LogRecord> recs) {
        return recs.stream()
                .map(r -> r.lsn() + "/" + r.type() + "/"
                        + new String(r.payload(), java.nio.charset.StandardCharsets.UTF_8))
                .toList();
    }

    private static List<String> describeCompletions(PageLog l) {
        return l.completedCheckpoints().stream()
                .map(c -> c.lsn() + "/" + c.checkpointTimestamp() + "/" + c.epoch() + "/" + c.metadata()[0])
                .toList();
    }
}
