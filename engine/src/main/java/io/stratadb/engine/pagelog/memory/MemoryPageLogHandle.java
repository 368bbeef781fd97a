package io.stratadb.engine.pagelog.memory;

import io.stratadb.api.pagelog.PageLogHandle;
import io.stratadb.api.pagelog.PageRecord;
import io.stratadb.api.pagelog.PutArgs;
import io.stratadb.engine.pagelog.PageEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * The page records of one table in a {@code memory:} page log.
 *
 * <p>Invariants: payloads are the caller's arrays, stored and returned without copying.
 *
 * <p>Thread safety: thread-safe (see {@link MemoryPageLogStore}).
 */
final class MemoryPageLogHandle implements PageLogHandle {
    private static final byte[] EMPTY = new byte[0];

    private final MemoryPageLog log;
    private final MemoryPageLogStore store;
    private final long tableId;

    MemoryPageLogHandle(MemoryPageLog log, MemoryPageLogStore store, long tableId) {
        this.log = log;
        this.store = store;
        this.tableId = tableId;
    }

    @Override
    public long tableId() {
        return tableId;
    }

    @Override
    public long put(long pageId, PutArgs args, byte[] payload) {
        return log.put(tableId, pageId, args, payload);
    }

    @Override
    public List<PageRecord> get(long pageId, long atLsn) {
        log.checkOpen();
        List<PageEntry> chain = store.pages.table(tableId).chain(pageId, atLsn);
        List<PageRecord> out = new ArrayList<>(chain.size());
        for (PageEntry e : chain) {
            byte[] p = e.payload();
            out.add(new PageRecord(
                    tableId, pageId, e.lsn(), e.backlinkLsn(), e.baseLsn(), e.kind(), p == null ? EMPTY : p));
        }
        return out;
    }

    @Override
    public long discard(long pageId, long backlinkLsn, long baseLsn) {
        return log.discard(tableId, pageId, backlinkLsn, baseLsn);
    }

    @Override
    public long[] pageIds(long atLsn) {
        log.checkOpen();
        return store.pages.table(tableId).pageIds(atLsn);
    }
}
