package io.stratadb.pagelog.bookkeeper.sweep;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The owner tag a page log writes into the custom metadata of every ledger it creates: the page log's base path
 * (its ZooKeeper znode) and the epoch of the writer that created the ledger.
 *
 * <p>Invariants: (1) the tag is written when the ledger is created and BookKeeper never changes it, so it can be
 * cached by ledger id; (2) {@code epoch} is {@link #NO_EPOCH} when the ledger carries no readable epoch (ledgers
 * that an older build created on a roll had only the base path); such a ledger is never swept.
 *
 * <p>Thread safety: immutable.
 *
 * @param pageLog the base path of the page log that created the ledger
 * @param epoch the creating writer's epoch, or {@link #NO_EPOCH}
 */
public record LedgerTag(String pageLog, long epoch) {
    /** Custom metadata key of the base path. */
    public static final String PAGE_LOG_KEY = "strata-page-log";

    /** Custom metadata key of the epoch (decimal text). */
    public static final String EPOCH_KEY = "strata-epoch";

    /** The epoch of a ledger whose tag has none. */
    public static final long NO_EPOCH = -1;

    /** Whether the tag names the creating writer's epoch. */
    public boolean hasEpoch() {
        return epoch != NO_EPOCH;
    }

    /** The custom metadata to create a ledger with. */
    public Map<String, byte[]> toCustomMetadata() {
        return Map.of(
                PAGE_LOG_KEY, pageLog.getBytes(StandardCharsets.UTF_8),
                EPOCH_KEY, Long.toString(epoch).getBytes(StandardCharsets.UTF_8));
    }

    /** The tag in a ledger's custom metadata, or null if the ledger was not created by a page log. */
    public static @Nullable LedgerTag fromCustomMetadata(Map<String, byte[]> custom) {
        byte[] base = custom.get(PAGE_LOG_KEY);
        if (base == null) {
            return null;
        }
        long epoch = NO_EPOCH;
        byte[] e = custom.get(EPOCH_KEY);
        if (e != null) {
            try {
                epoch = Long.parseLong(new String(e, StandardCharsets.UTF_8));
            } catch (NumberFormatException unreadable) {
                epoch = NO_EPOCH; // never swept: nothing can prove it leaked
            }
            if (epoch < 0) {
                epoch = NO_EPOCH;
            }
        }
        return new LedgerTag(new String(base, StandardCharsets.UTF_8), epoch);
    }
}
