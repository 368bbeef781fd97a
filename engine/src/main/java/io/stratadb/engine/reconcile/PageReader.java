package io.stratadb.engine.reconcile;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.pagelog.PageLogHandle;
import io.stratadb.api.pagelog.PageRecord;
import java.util.List;

/**
 * Reads one block back from the page log: its full image with every delta applied, as of a checkpoint's LSN.
 *
 * <p>Invariants: a chain that is empty, does not start with a full image, or holds a payload failing its checks
 * fails with CORRUPTION (XX001); nothing of it is returned.
 *
 * <p>Thread safety: stateless.
 */
public final class PageReader {
    private PageReader() {}

    /** The block {@code pageId} of {@code handle} as of {@code atLsn}. */
    public static Block read(PageLogHandle handle, long pageId, long atLsn) {
        String where = "(table " + handle.tableId() + ", page " + pageId + ", as of LSN " + atLsn + ")";
        List<PageRecord> chain;
        try {
            chain = handle.get(pageId, atLsn);
        } catch (StrataException e) {
            if (e.code() == ErrorCode.CORRUPTION) {
                throw e;
            }
            throw new StrataException(ErrorCode.CORRUPTION, "page " + where + " cannot be read: " + e.getMessage(), e);
        }
        if (chain.isEmpty() || chain.get(0).kind() != PageRecord.Kind.FULL) {
            throw new StrataException(ErrorCode.CORRUPTION, "page " + where + " has no full image");
        }
        PageImageCodec.Decoded full = PageImageCodec.decode(chain.get(0).payload(), where);
        if (full.delta()) {
            throw new StrataException(ErrorCode.CORRUPTION, "page " + where + ": full image record holds a delta");
        }
        List<ImageEntry> content = full.entries();
        for (int i = 1; i < chain.size(); i++) {
            PageRecord r = chain.get(i);
            PageImageCodec.Decoded d = PageImageCodec.decode(r.payload(), where + " delta at LSN " + r.lsn());
            if (!d.delta()) {
                throw new StrataException(ErrorCode.CORRUPTION, "page " + where + ": delta record holds a full image");
            }
            content = TableReconciler.apply(content, d.entries());
        }
        PageRecord first = chain.get(0);
        PageRecord last = chain.get(chain.size() - 1);
        return new Block(pageId, last.lsn(), first.lsn(), chain.size() - 1, content);
    }
}
