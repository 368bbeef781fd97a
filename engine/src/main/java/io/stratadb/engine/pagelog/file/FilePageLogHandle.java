package io.stratadb.engine.pagelog.file;

import io.stratadb.api.pagelog.PageLogHandle;
import io.stratadb.api.pagelog.PageRecord;
import io.stratadb.api.pagelog.PutArgs;
import io.stratadb.engine.pagelog.PageEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * The page records of one table in a {@code file:} page log.
 *
 * <p>Invariants: every payload returned passed its frame's CRC32C check.
 *
 * <p>Thread safety: thread-safe; reads take no lock on a writer instance.
 */
final class FilePageLogHandle implements PageLogHandle {
    private static final byte[] EMPTY = new byte[0];

    private final FilePageLog log;
    private final long tableId;

    FilePageLogHandle(FilePageLog log, long tableId) {
        this.log = log;
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
        return log.withRetry(
                () -> {
                    List<PageEntry> chain = log.index().pages.table(tableId).chain(pageId, atLsn);
                    List<PageRecord> out = new ArrayList<>(chain.size());
                    for (PageEntry e : chain) {
                        byte[] inMemory = e.payload(); // written by this instance, not yet flushed
                        byte[] payload = inMemory != null
                                ? inMemory
                                : e.size() == 0 ? EMPTY : log.reader().readPayload(e.location(), e.size(), e.lsn());
                        out.add(new PageRecord(
                                tableId, pageId, e.lsn(), e.backlinkLsn(), e.baseLsn(), e.kind(), payload));
                    }
                    return out;
                },
                false);
    }

    @Override
    public long discard(long pageId, long backlinkLsn, long baseLsn) {
        return log.discard(tableId, pageId, backlinkLsn, baseLsn);
    }

    @Override
    public long[] pageIds(long atLsn) {
        log.checkOpen();
        log.refresh();
        return log.index().pages.table(tableId).pageIds(atLsn);
    }
}
