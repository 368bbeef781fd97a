package io.stratadb.pagelog.bookkeeper;

import io.stratadb.api.pagelog.PageRecord;
import io.stratadb.pagelog.bookkeeper.codec.Entry;
import io.stratadb.pagelog.bookkeeper.codec.EntryKind;
import io.stratadb.pagelog.bookkeeper.index.Location;
import io.stratadb.pagelog.bookkeeper.index.LogIndex;
import io.stratadb.pagelog.bookkeeper.index.LogRef;
import io.stratadb.pagelog.bookkeeper.index.PageVersion;
import io.stratadb.pagelog.bookkeeper.meta.LedgerRef;
import io.stratadb.pagelog.bookkeeper.meta.Manifest;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The space step of a reclaim: deletes the oldest ledgers of the manifest once nothing in them is needed, after
 * rewriting into the current ledger the few live records they still hold.
 *
 * <p>Only a <em>prefix</em> of the manifest is ever deleted: the first ledger whose live records are more than
 * {@code rewritePercent} of its bytes stops the walk, and it and every later ledger are kept. That keeps replay
 * sound: an ABANDON or RECLAIM entry always follows the records it removes, so a suffix of the log holds every
 * such entry that concerns a record in it. Copies keep their LSN and links (they are not new records), so chains
 * and LSNs are unchanged.
 *
 * <p>Invariants: (1) the copies are durable before the manifest drops the old ledgers; (2) the manifest update is
 * guarded by the epoch, so a deposed writer deletes nothing; (3) the current ledger is never deleted.
 *
 * <p>Thread safety: runs on the writer's thread holding the page log's lock.
 */
final class LedgerCompactor {
    private static final Logger LOG = LoggerFactory.getLogger(LedgerCompactor.class);

    private final BookKeeperPageLog log;
    private final WriterSession w;

    LedgerCompactor(BookKeeperPageLog log, WriterSession w) {
        this.log = log;
        this.w = w;
    }

    @SuppressWarnings("GuardedBy") // the caller holds log.lock()
    void run() {
        LogIndex idx = log.indexLocked();
        Manifest m = log.manifestLocked();
        List<Long> drop = new ArrayList<>();
        long lastCopy = -1;
        int copied = 0;
        for (LedgerRef r : m.ledgers()) {
            if (r.ledgerId() == w.ledgerId()) {
                break;
            }
            LogIndex.Retained kept = idx.retainedIn(r.ledgerId());
            if (!kept.isEmpty()) {
                long total = idx.bytesIn(r.ledgerId());
                if (kept.bytes() * 100 > total * log.conf().rewritePercent()) {
                    break;
                }
                for (LogIndex.PageAt p : kept.pages()) {
                    PageVersion v = p.version();
                    byte[] payload = log.payload(v.location());
                    Entry e = Entry.page(
                                    kindOf(v.kind()),
                                    w.epoch(),
                                    v.lsn(),
                                    p.table(),
                                    p.pageId(),
                                    v.backlinkLsn(),
                                    v.baseLsn(),
                                    payload)
                            .asCopy(w.epoch());
                    long id = w.add(e, payload);
                    if (id < 0) {
                        return; // the ledger failed: the next write reports why
                    }
                    idx.putPage(
                            p.table(),
                            p.pageId(),
                            new PageVersion(
                                    v.lsn(),
                                    v.kind(),
                                    v.backlinkLsn(),
                                    v.baseLsn(),
                                    v.size(),
                                    new Location(w.ledgerId(), id)),
                            true);
                    lastCopy = id;
                    copied++;
                }
                for (LogRef l : kept.logs()) {
                    long id = w.add(
                            Entry.log(w.epoch(), l.lsn(), l.type(), l.payload()).asCopy(w.epoch()), l.payload());
                    if (id < 0) {
                        return;
                    }
                    idx.putLog(new LogRef(l.lsn(), l.type(), l.payload(), new Location(w.ledgerId(), id)));
                    lastCopy = id;
                    copied++;
                }
            }
            drop.add(r.ledgerId());
        }
        if (drop.isEmpty()) {
            return;
        }
        if (lastCopy >= 0) {
            log.awaitEntryOrThrow(w, lastCopy, "rewrite live records of ledgers " + drop);
        }
        Manifest next = log.meta().writeManifest(log.epochLocked(), m, m.minus(drop, idx.maxLsn()));
        log.manifestWrittenLocked(next);
        for (long id : drop) {
            log.reads().forget(id);
            log.bk()
                    .asyncDeleteLedger(
                            id,
                            (rc, ctx) -> {
                                if (rc != 0) {
                                    LOG.warn(
                                            "deleting ledger {} of {} failed with code {}; retried later",
                                            id,
                                            log.uri(),
                                            rc);
                                    log.sweeper().deleteLater(id);
                                }
                            },
                            null);
        }
        LOG.debug("reclaim of {} deleted ledgers {} after rewriting {} live records", log.uri(), drop, copied);
    }

    private static EntryKind kindOf(PageRecord.Kind k) {
        return switch (k) {
            case FULL -> EntryKind.FULL;
            case DELTA -> EntryKind.DELTA;
            case DISCARD -> EntryKind.DISCARD;
        };
    }
}
