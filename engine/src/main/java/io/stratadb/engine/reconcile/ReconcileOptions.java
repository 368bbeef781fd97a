package io.stratadb.engine.reconcile;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import java.util.Map;

/**
 * Tuning of reconciliation, read from engine options.
 *
 * <p>Invariants: {@code maxDeltas >= 0}, {@code 0 <= deltaPct <= 100}, {@code maxBlockBytes >= 64}.
 *
 * <p>Thread safety: immutable.
 *
 * @param maxDeltas deltas allowed on one full image before the next write is a full image (option {@code
 *     page_max_deltas}, default 8)
 * @param deltaPct a delta is written only if at most this percentage of the full image's size (option {@code
 *     page_delta_pct}, default 30)
 * @param maxBlockBytes a leaf whose image is larger is written as several blocks (option {@code
 *     page_max_bytes}, default 256 KiB)
 */
public record ReconcileOptions(int maxDeltas, int deltaPct, int maxBlockBytes) {
    /** The defaults. */
    public static final ReconcileOptions DEFAULTS = new ReconcileOptions(8, 30, 256 << 10);

    public ReconcileOptions {
        if (maxDeltas < 0 || deltaPct < 0 || deltaPct > 100 || maxBlockBytes < 64) {
            throw new StrataException(
                    ErrorCode.INVALID_ARGUMENT,
                    "bad reconcile options: page_max_deltas=" + maxDeltas + ", page_delta_pct=" + deltaPct
                            + ", page_max_bytes=" + maxBlockBytes);
        }
    }

    /** Options from engine option keys, defaults for absent ones; a malformed value fails with 22023. */
    public static ReconcileOptions from(Map<String, String> options) {
        return new ReconcileOptions(
                intOption(options, "page_max_deltas", DEFAULTS.maxDeltas),
                intOption(options, "page_delta_pct", DEFAULTS.deltaPct),
                intOption(options, "page_max_bytes", DEFAULTS.maxBlockBytes));
    }

    private static int intOption(Map<String, String> options, String key, int dflt) {
        String v = options.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new StrataException(ErrorCode.INVALID_ARGUMENT, "option " + key + "=" + v + " is not a number", e);
        }
    }
}
