package io.stratadb.bench;

import io.stratadb.api.CacheStats;
import io.stratadb.api.Durability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The eviction benchmark of issue #4: a table about four times the cache, random point reads (batches of 100
 * per read transaction) and 100-row scans, StrataDB ({@code cache=}) beside H2 MVStore ({@code cacheSize}, MiB)
 * with the same cache size, in the same run.
 *
 * <p>Usage: {@code java -cp ... io.stratadb.bench.EvictionBench [--quick] [--rows N] [--cache-mb M]}.
 */
public final class EvictionBench {
    private EvictionBench() {}

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        long rows = 100_000;
        int cacheMb = 5;
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--rows")) {
                rows = Long.parseLong(args[i + 1]);
            } else if (args[i].equals("--cache-mb")) {
                cacheMb = Integer.parseInt(args[i + 1]);
            }
        }
        long warm = quick ? 500 : 1500;
        long measure = quick ? 1000 : 3000;
        Path work = Files.createTempDirectory("strata-evict-bench");
        List<Result> results = new ArrayList<>();
        Workload w = new Workload(rows, warm, measure);
        Workload.Kind[] kinds = {Workload.Kind.POINT_GET, Workload.Kind.SCAN_100};
        try {
            long budget = cacheMb * 1024L * 1024L;
            try (StrataKvStore s = new StrataKvStore(work.resolve("strata"), Durability.NONE, null, budget)) {
                s.load(rows, Workload.VALUE);
                s.checkpoint();
                long end = System.nanoTime() + 30_000_000_000L;
                while (s.cacheStats().usedBytes() > budget && System.nanoTime() < end) {
                    Thread.sleep(20);
                }
                System.out.printf(Locale.ROOT, "StrataDB after load and checkpoint: %s%n", s.cacheStats());
                for (Workload.Kind k : kinds) {
                    for (int t : new int[] {1, 4}) {
                        results.add(w.run(s, k, t).print());
                        CacheStats st = s.cacheStats();
                        System.out.printf(
                                Locale.ROOT,
                                "  StrataDB cache: used %.1f MB of %d MB, %d resident pages, %d read-backs%n",
                                st.usedBytes() / 1e6,
                                cacheMb,
                                st.pages(),
                                st.reads());
                    }
                }
            }
            try (H2KvStore h = new H2KvStore(work.resolve("h2.mv.db"), false, cacheMb)) {
                h.load(rows, Workload.VALUE);
                System.out.printf(
                        Locale.ROOT,
                        "H2 after load: file %.1f MB, cache %.1f MB%n",
                        h.fileBytes() / 1e6,
                        h.cacheBytes() / 1e6);
                for (Workload.Kind k : kinds) {
                    for (int t : new int[] {1, 4}) {
                        results.add(w.run(h, k, t).print());
                    }
                }
            }
            System.out.println();
            System.out.println(EngineBench.table(results));
            System.out.printf(
                    Locale.ROOT,
                    "%d rows of %d-character values, cache %d MB each; load average %.2f%n",
                    rows,
                    Workload.VALUE.length(),
                    cacheMb,
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                            .getSystemLoadAverage());
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
