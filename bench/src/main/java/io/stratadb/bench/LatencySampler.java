package io.stratadb.bench;

import java.util.Arrays;

/**
 * Latency samples of one thread: every operation's duration in nanoseconds, up to a fixed number of samples.
 *
 * <p>Thread safety: confined to its thread; merged after the threads have joined.
 */
final class LatencySampler {
    private long[] samples = new long[1 << 16];
    private int n;

    void add(long nanos) {
        if (n == samples.length) {
            if (samples.length >= 1 << 22) {
                samples[(int) (nanos & (samples.length - 1))] = nanos; // reservoir-ish overwrite when full
                return;
            }
            samples = Arrays.copyOf(samples, samples.length * 2);
        }
        samples[n++] = nanos;
    }

    static double[] percentiles(LatencySampler[] all, double... ps) {
        int total = 0;
        for (LatencySampler s : all) {
            total += s.n;
        }
        long[] merged = new long[total];
        int at = 0;
        for (LatencySampler s : all) {
            System.arraycopy(s.samples, 0, merged, at, s.n);
            at += s.n;
        }
        Arrays.sort(merged);
        double[] out = new double[ps.length];
        for (int i = 0; i < ps.length; i++) {
            out[i] = merged.length == 0 ? 0 : merged[(int) Math.min(merged.length - 1, ps[i] * merged.length)] / 1000.0;
        }
        return out;
    }
}
