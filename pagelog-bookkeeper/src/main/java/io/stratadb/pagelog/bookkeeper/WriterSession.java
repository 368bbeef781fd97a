package io.stratadb.pagelog.bookkeeper;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.stratadb.pagelog.bookkeeper.codec.Entry;
import io.stratadb.pagelog.bookkeeper.codec.EntryCodec;
import io.stratadb.pagelog.bookkeeper.codec.EntryKind;
import java.util.HashMap;
import java.util.Map;
import org.apache.bookkeeper.client.AsyncCallback;
import org.apache.bookkeeper.client.BKException;
import org.apache.bookkeeper.client.LedgerHandle;
import org.jspecify.annotations.Nullable;

/**
 * The writer's open ledger: entries are added asynchronously (pipelined), and callers wait only where the SPI
 * says so ({@code sync}, completions, abandon, reclaim).
 *
 * <p>Invariants: (1) entry ids are assigned in call order under {@code mon}, the same order BookKeeper assigns
 * them, so entry order is LSN order; (2) BookKeeper completes adds in entry order, so {@code ackedEntry} is the
 * last of a prefix of acknowledged entries; (3) once an add fails ({@code failRc != OK}) no later entry of this
 * ledger is ever acknowledged (BookKeeper fails the rest) and the session takes no new entry; (4) a payload is in
 * {@code pending} from its add until its acknowledgement, so the writer reads its own writes at once; (5) {@code
 * visibleEntry} is a last-add-confirmed value the bookies have been sent on a marker entry, so readers that ask
 * the bookies see at least that far.
 *
 * <p>Thread safety: thread-safe (monitor {@code mon}; BookKeeper callbacks take only {@code mon}).
 * Ownership: the page log closes it when it rolls the ledger or closes.
 */
final class WriterSession {
    private final LedgerHandle lh;
    private final long epoch;
    private final long firstLsn;
    private final Object mon = new Object();

    @GuardedBy("mon")
    private long nextEntry;

    @GuardedBy("mon")
    private long ackedEntry = -1;

    @GuardedBy("mon")
    private long ackedLsn;

    @GuardedBy("mon")
    private long lastLsn;

    @GuardedBy("mon")
    private long visibleEntry = -1;

    @GuardedBy("mon")
    private long markerLac = -1;

    @GuardedBy("mon")
    private int failRc = BKException.Code.OK;

    @GuardedBy("mon")
    private long bytes;

    @GuardedBy("mon")
    private final Map<Long, byte[]> pending = new HashMap<>();

    WriterSession(LedgerHandle lh, long epoch, long firstLsn) {
        this.lh = lh;
        this.epoch = epoch;
        this.firstLsn = firstLsn;
    }

    long ledgerId() {
        return lh.getId();
    }

    long epoch() {
        return epoch;
    }

    /** The first LSN this session could have assigned. */
    long firstLsn() {
        return firstLsn;
    }

    LedgerHandle handle() {
        return lh;
    }

    /** BookKeeper's code of the first failed add, or OK. */
    int failure() {
        synchronized (mon) {
            return failRc;
        }
    }

    long bytes() {
        synchronized (mon) {
            return bytes;
        }
    }

    /**
     * Adds {@code e} and returns its entry id; {@code payload} (the record bytes) is kept for reads until the add
     * is acknowledged. Returns -1 if the session has failed (nothing added).
     */
    long add(Entry e, byte[] payload) {
        byte[] data = EntryCodec.encode(e);
        synchronized (mon) {
            if (failRc != BKException.Code.OK) {
                return -1;
            }
            long id = nextEntry++;
            if (e.lsn() > 0) {
                lastLsn = e.lsn();
                pending.put(id, payload);
            }
            bytes += data.length;
            lh.asyncAddEntry(data, new Acked(id, e.lsn(), -1), null);
            return id;
        }
    }

    /** The payload of entry {@code entryId} if it is not acknowledged yet. */
    byte @Nullable [] pendingPayload(long entryId) {
        synchronized (mon) {
            return pending.get(entryId);
        }
    }

    /**
     * Waits until the entry holding {@code lsn} (and every entry before it) is acknowledged by the ack quorum, or
     * an add failed; returns OK or the failure code.
     */
    int awaitLsn(long lsn) throws InterruptedException {
        synchronized (mon) {
            long target = Math.min(lsn, lastLsn);
            while (ackedLsn < target && failRc == BKException.Code.OK) {
                mon.wait(100);
            }
            return ackedLsn >= target ? BKException.Code.OK : failRc;
        }
    }

    /** Waits until entry {@code entryId} is acknowledged or an add failed; returns OK or the failure code. */
    int awaitEntry(long entryId) throws InterruptedException {
        synchronized (mon) {
            while (ackedEntry < entryId && failRc == BKException.Code.OK) {
                mon.wait(100);
            }
            return ackedEntry >= entryId ? BKException.Code.OK : failRc;
        }
    }

    /**
     * Makes every acknowledged entry visible to readers: sends a marker entry carrying the last-add-confirmed and
     * waits for it. Returns false if the ledger failed first (then a reader sees the entries once a new writer
     * recovers the ledger).
     */
    boolean makeVisible() throws InterruptedException {
        synchronized (mon) {
            long target = ackedEntry;
            while (visibleEntry < target && failRc == BKException.Code.OK) {
                if (markerLac < target) {
                    long lac = lh.getLastAddConfirmed();
                    nextEntry++;
                    markerLac = Math.max(markerLac, lac);
                    lh.asyncAddEntry(
                            EntryCodec.encode(Entry.control(EntryKind.MARKER, epoch, 0)),
                            new Acked(nextEntry - 1, 0, lac),
                            null);
                    if (lac < target) {
                        mon.wait(1); // the handle's LAC has not caught up; the next round sends another marker
                        continue;
                    }
                }
                mon.wait(100);
            }
            return visibleEntry >= target;
        }
    }

    /**
     * Closes the ledger once its pending adds are acknowledged (BookKeeper's close would fail them); returns OK
     * or BookKeeper's failure code.
     */
    int close() throws InterruptedException {
        long last;
        synchronized (mon) {
            last = nextEntry - 1;
        }
        int rc = awaitEntry(last);
        if (rc != BKException.Code.OK) {
            return rc;
        }
        try {
            lh.close();
            return BKException.Code.OK;
        } catch (BKException e) {
            return e.getCode();
        }
    }

    /** One add's callback. */
    private final class Acked implements AsyncCallback.AddCallback {
        private final long id;
        private final long lsn;
        private final long markerLac;

        Acked(long id, long lsn, long markerLac) {
            this.id = id;
            this.lsn = lsn;
            this.markerLac = markerLac;
        }

        @Override
        public void addComplete(int rc, LedgerHandle handle, long entryId, @Nullable Object ctx) {
            synchronized (mon) {
                if (rc == BKException.Code.OK && failRc == BKException.Code.OK) {
                    ackedEntry = Math.max(ackedEntry, id);
                    ackedLsn = Math.max(ackedLsn, lsn);
                    pending.remove(id);
                    if (markerLac >= 0) {
                        visibleEntry = Math.max(visibleEntry, markerLac);
                    }
                } else if (failRc == BKException.Code.OK) {
                    failRc = rc;
                }
                mon.notifyAll();
            }
        }
    }
}
