package io.stratadb.pagelog.bookkeeper;

import io.stratadb.api.StrataException;
import io.stratadb.api.pagelog.PageLogHandle;
import io.stratadb.api.pagelog.PageRecord;
import io.stratadb.api.pagelog.PutArgs;
import io.stratadb.pagelog.bookkeeper.codec.EntryKind;
import io.stratadb.pagelog.bookkeeper.index.ChainRules;
import io.stratadb.pagelog.bookkeeper.index.PageVersion;
import java.util.ArrayList;
import java.util.List;
import org.apache.bookkeeper.client.BKException;

/**
 * The page records of one table in a {@code bookkeeper:} page log.
 *
 * <p>Invariants: stateless apart from the table id; every call goes through the page log's lock.
 *
 * <p>Thread safety: thread-safe.
 */
final class BookKeeperPageLogHandle implements PageLogHandle {
    private final BookKeeperPageLog log;
    private final long tableId;

    BookKeeperPageLogHandle(BookKeeperPageLog log, long tableId) {
        this.log = log;
        this.tableId = tableId;
    }

    @Override
    public long tableId() {
        return tableId;
    }

    @Override
    public long put(long pageId, PutArgs args, byte[] payload) {
        return log.putPage(
                tableId,
                pageId,
                args.delta() ? EntryKind.DELTA : EntryKind.FULL,
                args.backlinkLsn(),
                args.baseLsn(),
                payload);
    }

    @Override
    public List<PageRecord> get(long pageId, long atLsn) {
        try {
            return read(pageId, atLsn);
        } catch (StrataException e) {
            if (!(e.getCause() instanceof BKException.BKNoSuchLedgerExistsException)
                    && !(e.getCause() instanceof BKException.BKNoSuchLedgerExistsOnMetadataServerException)) {
                throw e;
            }
            // a reclaim deleted the ledger after rewriting the record: the refresh of the retry finds the copy
            return read(pageId, atLsn);
        }
    }

    private List<PageRecord> read(long pageId, long atLsn) {
        List<PageVersion> chain =
                log.withIndex(index -> ChainRules.chain(tableId, pageId, index.page(tableId, pageId), atLsn));
        List<PageRecord> out = new ArrayList<>(chain.size());
        for (PageVersion v : chain) {
            out.add(new PageRecord(
                    tableId, pageId, v.lsn(), v.backlinkLsn(), v.baseLsn(), v.kind(), log.payload(v.location())));
        }
        return out;
    }

    @Override
    public long discard(long pageId, long backlinkLsn, long baseLsn) {
        return log.putPage(tableId, pageId, EntryKind.DISCARD, backlinkLsn, baseLsn, new byte[0]);
    }

    @Override
    public long[] pageIds(long atLsn) {
        return log.withIndex(index -> index.pageIds(tableId, atLsn));
    }
}
