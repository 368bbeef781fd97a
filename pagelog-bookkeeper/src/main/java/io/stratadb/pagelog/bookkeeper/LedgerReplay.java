package io.stratadb.pagelog.bookkeeper;

import io.stratadb.api.pagelog.PageRecord;
import io.stratadb.pagelog.bookkeeper.codec.Entry;
import io.stratadb.pagelog.bookkeeper.codec.EntryCodec;
import io.stratadb.pagelog.bookkeeper.codec.EntryKind;
import io.stratadb.pagelog.bookkeeper.index.Location;
import io.stratadb.pagelog.bookkeeper.index.LogIndex;
import io.stratadb.pagelog.bookkeeper.index.LogRef;
import io.stratadb.pagelog.bookkeeper.index.PageVersion;
import io.stratadb.pagelog.bookkeeper.meta.LedgerRef;
import io.stratadb.pagelog.bookkeeper.meta.Manifest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.bookkeeper.client.BKException;
import org.apache.bookkeeper.client.LedgerHandle;

/**
 * A reader's progress through the ledgers of the manifest, and the replay of their entries into a {@link
 * LogIndex}.
 *
 * <p>Invariants: (1) entries are applied in manifest order, and within a ledger in entry order, so in LSN order;
 * (2) a ledger is <em>sealed</em> (never read again) only if it was closed before its last entry was read; (3)
 * reading stops at a ledger that is not the last and not yet closed, so no later ledger is applied before it.
 *
 * <p>Thread safety: not thread-safe; the page log guards it with its lock.
 */
final class LedgerReplay {
    private final LedgerReads reads;
    private final Map<Long, Long> readTo = new HashMap<>();
    private final Set<Long> sealed = new HashSet<>();

    LedgerReplay(LedgerReads reads) {
        this.reads = reads;
    }

    /** Forgets all progress (the index is being rebuilt). */
    void reset() {
        readTo.clear();
        sealed.clear();
    }

    /** Whether {@code ledgerId} was read to its end. */
    boolean isSealed(long ledgerId) {
        return sealed.contains(ledgerId);
    }

    /** Notes that the writer's own ledger was closed at {@code lastEntry} (its entries are in the index). */
    void sealOwn(long ledgerId, long lastEntry) {
        sealed.add(ledgerId);
        readTo.put(ledgerId, lastEntry);
    }

    /** Applies every entry the ledgers of {@code m} hold beyond what was read before. */
    void readAll(Manifest m, LogIndex index) throws BKException, InterruptedException {
        List<LedgerRef> refs = m.ledgers();
        for (int i = 0; i < refs.size(); i++) {
            long id = refs.get(i).ledgerId();
            if (sealed.contains(id)) {
                continue;
            }
            boolean last = i == refs.size() - 1;
            LedgerHandle h;
            try {
                h = reads.handle(id, !last && !readTo.containsKey(id));
            } catch (BKException.BKNoSuchLedgerExistsException
                    | BKException.BKNoSuchLedgerExistsOnMetadataServerException gone) {
                continue; // reclaimed after its live records were rewritten into a newer ledger
            }
            if (!last && !h.isClosed()) {
                h = reads.handle(id, true);
            }
            // decide "closed" once, before reading the LAC: the handle's metadata may turn closed (with more
            // entries) while we read, and sealing it then would skip the entries after our LAC
            boolean closedBefore = h.isClosed();
            long lac = closedBefore ? h.getLastAddConfirmed() : LedgerReads.lastConfirmed(h);
            long from = readTo.getOrDefault(id, -1L) + 1;
            if (from <= lac) {
                long e = from;
                for (byte[] bytes : LedgerReads.read(h, from, lac)) {
                    apply(index, EntryCodec.decode(id, e, bytes), new Location(id, e));
                    e++;
                }
            }
            readTo.put(id, Math.max(lac, from - 1));
            if (closedBefore) {
                sealed.add(id);
            } else if (!last) {
                break; // not closed yet: later ledgers wait, so records are applied in LSN order
            }
        }
    }

    /** Applies one entry read from a ledger. */
    static void apply(LogIndex index, Entry e, Location where) {
        switch (e.kind()) {
            case FULL, DELTA, DISCARD ->
                index.putPage(
                        e.tableId(),
                        e.pageId(),
                        new PageVersion(
                                e.lsn(), kindOf(e.kind()), e.backlinkLsn(), e.baseLsn(), e.payload().length, where),
                        e.copy());
            case LOG -> index.putLog(new LogRef(e.lsn(), (int) e.aux(), e.payload(), where));
            case COMPLETION -> index.completionEntry(e.lsn());
            case ABANDON -> index.abandonAbove(e.refLsn());
            case RECLAIM -> index.reclaim(e.refLsn());
            case MARKER -> {}
        }
    }

    /** The page record kind of a page entry kind. */
    static PageRecord.Kind kindOf(EntryKind k) {
        return k == EntryKind.FULL
                ? PageRecord.Kind.FULL
                : k == EntryKind.DELTA ? PageRecord.Kind.DELTA : PageRecord.Kind.DISCARD;
    }
}
