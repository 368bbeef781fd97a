package io.stratadb.pagelog.bookkeeper;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.pagelog.bookkeeper.sweep.LedgerTag;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.apache.bookkeeper.client.BKException;
import org.apache.bookkeeper.client.BookKeeper;
import org.apache.bookkeeper.client.LedgerEntry;
import org.apache.bookkeeper.client.LedgerHandle;
import org.jspecify.annotations.Nullable;

/**
 * Read access to the ledgers of one page log: cached read-only handles (opened without recovery, so reading never
 * fences the writer), recovery-opens for a claimer, and entry reads.
 *
 * <p>Invariants: a handle opened with recovery replaces the cached one; a handle is opened at most once per
 * ledger unless {@link #forget} drops it.
 *
 * <p>Thread safety: thread-safe. Ownership: closes its handles on {@link #close()}.
 */
final class LedgerReads implements AutoCloseable {
    static final byte[] PASSWORD = "strata".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private static final int BATCH = 500;

    private final BookKeeper bk;
    private final ConcurrentHashMap<Long, LedgerHandle> handles = new ConcurrentHashMap<>();
    private volatile java.util.function.Consumer<LedgerHandle> afterCreate = lh -> {};

    LedgerReads(BookKeeper bk) {
        this.bk = bk;
    }

    /** A read handle, opened without recovery; {@code fresh} re-opens it to see the newest metadata. */
    LedgerHandle handle(long ledgerId, boolean fresh) throws BKException, InterruptedException {
        LedgerHandle h = handles.get(ledgerId);
        if (h != null && !fresh) {
            return h;
        }
        LedgerHandle opened = bk.openLedgerNoRecovery(ledgerId, BookKeeper.DigestType.CRC32C, PASSWORD);
        LedgerHandle old = handles.put(ledgerId, opened);
        closeQuietly(old);
        return opened;
    }

    /** Opens {@code ledgerId} with recovery: fences its writer and closes it at its last durable entry. */
    LedgerHandle recover(long ledgerId) throws BKException, InterruptedException {
        LedgerHandle opened = bk.openLedger(ledgerId, BookKeeper.DigestType.CRC32C, PASSWORD);
        LedgerHandle old = handles.put(ledgerId, opened);
        closeQuietly(old);
        return opened;
    }

    /** Registers the writer's own handle for reads of its ledger. */
    void own(LedgerHandle writer) {
        LedgerHandle old = handles.put(writer.getId(), writer);
        if (old != writer) {
            closeQuietly(old);
        }
    }

    /** Drops the cached handle of {@code ledgerId}. */
    void forget(long ledgerId) {
        closeQuietly(handles.remove(ledgerId));
    }

    /** The last entry a reader may read: the metadata's last entry if closed, else the bookies' LAC. */
    static long lastConfirmed(LedgerHandle h) throws BKException, InterruptedException {
        if (h.isClosed()) {
            return h.getLastAddConfirmed();
        }
        try {
            return h.readLastAddConfirmedAsync().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BKException bke) {
                throw bke;
            }
            throw new StrataException(ErrorCode.IO_ERROR, "reading the LAC of ledger " + h.getId(), e.getCause());
        }
    }

    /** Entries {@code from..to} of {@code h}, in batches. */
    static List<byte[]> read(LedgerHandle h, long from, long to) throws BKException, InterruptedException {
        List<byte[]> out = new ArrayList<>();
        for (long start = from; start <= to; start += BATCH) {
            long end = Math.min(to, start + BATCH - 1);
            Enumeration<LedgerEntry> en = h.readUnconfirmedEntries(start, end);
            while (en.hasMoreElements()) {
                out.add(en.nextElement().getEntry());
            }
        }
        return out;
    }

    /** The bytes of one entry. */
    byte[] readOne(long ledgerId, long entryId) throws BKException, InterruptedException {
        LedgerHandle h = handle(ledgerId, false);
        Enumeration<LedgerEntry> en = h.readUnconfirmedEntries(entryId, entryId);
        if (!en.hasMoreElements()) {
            throw new StrataException(
                    ErrorCode.CORRUPTION, "ledger " + ledgerId + " has no entry " + entryId + " though the index has");
        }
        return en.nextElement().getEntry();
    }

    private static void closeQuietly(@Nullable LedgerHandle h) {
        if (h != null && h.isClosed()) {
            var unused = h.closeAsync(); // read-only: only unregisters its metadata listener; nothing to wait for
        }
    }

    @Override
    public void close() {
        handles.clear();
    }

    /**
     * Creates a ledger for an epoch's writer, tagged with the page log's base path and the epoch (the sweep reads
     * both), and runs the test hook before the caller registers it.
     */
    LedgerHandle createLedger(PageLogUri conf, long epoch) throws BKException, InterruptedException {
        LedgerHandle lh = bk.createLedger(
                conf.ensemble(),
                conf.writeQuorum(),
                conf.ackQuorum(),
                BookKeeper.DigestType.CRC32C,
                PASSWORD,
                new LedgerTag(conf.basePath(), epoch).toCustomMetadata());
        afterCreate.accept(lh);
        return lh;
    }

    /** Test hook: runs after each ledger this instance creates, before the writer registers it. */
    void afterCreateForTest(java.util.function.Consumer<LedgerHandle> hook) {
        afterCreate = hook;
    }
}
