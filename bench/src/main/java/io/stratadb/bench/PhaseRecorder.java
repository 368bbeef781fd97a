package io.stratadb.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The commit latencies of one benchmark phase, each with its start time, and the intervals during which a
 * checkpoint ran, so that latencies can be split into commits that overlapped a checkpoint and commits that
 * did not.
 *
 * <p>Invariants: commit starts are recorded in increasing order (one writer thread); intervals are recorded in
 * increasing order of start (one checkpoint thread) and do not overlap.
 *
 * <p>Thread safety: {@link #commit} is confined to the writer thread and {@link #checkpoint} to the checkpoint
 * thread; read the results after both have been joined.
 */
final class PhaseRecorder {
    private long[] starts = new long[1 << 16];
    private long[] nanos = new long[1 << 16];
    private int n;
    private final List<long[]> intervals = new ArrayList<>();

    /** One commit that started at {@code start} (System.nanoTime) and took {@code took} nanoseconds. */
    void commit(long start, long took) {
        if (n == starts.length) {
            starts = Arrays.copyOf(starts, n * 2);
            nanos = Arrays.copyOf(nanos, n * 2);
        }
        starts[n] = start;
        nanos[n++] = took;
    }

    /** A checkpoint that ran from {@code start} to {@code end} (System.nanoTime). */
    synchronized void checkpoint(long start, long end) {
        intervals.add(new long[] {start, end});
    }

    int commits() {
        return n;
    }

    synchronized int checkpoints() {
        return intervals.size();
    }

    /** Mean checkpoint duration in milliseconds (0 without checkpoints). */
    synchronized double meanCheckpointMillis() {
        return intervals.stream().mapToLong(i -> i[1] - i[0]).average().orElse(0) / 1e6;
    }

    /**
     * Percentiles {@code ps} in microseconds of the commits selected by {@code which}: 0 = all, 1 = those that
     * overlapped a checkpoint, 2 = those that did not. Returns the count first, then the percentiles.
     */
    synchronized double[] percentiles(int which, double... ps) {
        long[] sel = new long[n];
        int m = 0;
        int iv = 0;
        for (int i = 0; i < n; i++) {
            long s = starts[i];
            long e = s + nanos[i];
            while (iv < intervals.size() && intervals.get(iv)[1] < s) {
                iv++;
            }
            boolean overlaps = iv < intervals.size() && intervals.get(iv)[0] <= e;
            if (which == 0 || (which == 1) == overlaps) {
                sel[m++] = nanos[i];
            }
        }
        long[] v = Arrays.copyOf(sel, m);
        Arrays.sort(v);
        double[] out = new double[ps.length + 1];
        out[0] = m;
        for (int i = 0; i < ps.length; i++) {
            out[i + 1] = m == 0 ? 0 : v[(int) Math.min(m - 1, (long) (ps[i] * m))] / 1000.0;
        }
        return out;
    }
}
