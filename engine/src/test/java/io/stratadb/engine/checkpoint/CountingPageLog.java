package io.stratadb.engine.checkpoint;

import io.stratadb.api.pagelog.PageLog;
import io.stratadb.api.pagelog.PageLogHandle;
import io.stratadb.api.pagelog.PageRecord;
import io.stratadb.api.pagelog.PutArgs;
import io.stratadb.engine.testing.ForwardingPageLog;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A page log that forwards to a real one and counts page reads ({@link PageLogHandle#get}) per table id.
 *
 * <p>Invariants: behaves exactly like the wrapped log; {@link #gets()} is the number of get calls so far.
 *
 * <p>Thread safety: thread-safe.
 */
final class CountingPageLog extends ForwardingPageLog {
    private final AtomicLong gets = new AtomicLong();
    private final AtomicLong tableGets = new AtomicLong();

    CountingPageLog(PageLog real) {
        super(real);
    }

    /** Page reads of every table id, the catalogue included. */
    long gets() {
        return gets.get();
    }

    /** Page reads of user tables (table id above the catalogue's). */
    long tableGets() {
        return tableGets.get();
    }

    @Override
    public PageLogHandle openHandle(long tableId) {
        PageLogHandle h = real.openHandle(tableId);
        return new PageLogHandle() {
            @Override
            public long tableId() {
                return h.tableId();
            }

            @Override
            public long put(long pageId, PutArgs args, byte[] payload) {
                return h.put(pageId, args, payload);
            }

            @Override
            public List<PageRecord> get(long pageId, long atLsn) {
                gets.incrementAndGet();
                if (tableId != CatalogRoot.TABLE_ID) {
                    tableGets.incrementAndGet();
                }
                return h.get(pageId, atLsn);
            }

            @Override
            public long discard(long pageId, long backlinkLsn, long baseLsn) {
                return h.discard(pageId, backlinkLsn, baseLsn);
            }

            @Override
            public long[] pageIds(long atLsn) {
                return h.pageIds(atLsn);
            }
        };
    }
}
