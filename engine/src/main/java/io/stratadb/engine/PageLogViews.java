package io.stratadb.engine;

import io.stratadb.api.CheckpointInfo;
import io.stratadb.api.TablePageStats;
import io.stratadb.api.pagelog.CheckpointCompletion;
import io.stratadb.api.pagelog.PageLog;
import io.stratadb.api.pagelog.PageLogTableStats;
import io.stratadb.engine.catalog.Catalog;
import io.stratadb.engine.catalog.TableEntry;
import io.stratadb.engine.checkpoint.CatalogRoot;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the page log holds, as the SPI shows it ({@code SYS.CHECKPOINTS}, {@code SYS.PAGE_LOG}): completed
 * checkpoints and per-table page statistics named after the catalogue.
 *
 * <p>Invariants: read-only views, computed on every call.
 *
 * <p>Thread safety: stateless.
 */
final class PageLogViews {
    private PageLogViews() {}

    static List<CheckpointInfo> checkpoints(PageLog pageLog) {
        List<CheckpointInfo> out = new ArrayList<>();
        for (CheckpointCompletion c : pageLog.completedCheckpoints()) {
            out.add(Follower.info(c));
        }
        return out;
    }

    static List<TablePageStats> pageStats(PageLog pageLog, Catalog catalog) {
        List<TablePageStats> out = new ArrayList<>();
        for (PageLogTableStats s : pageLog.stats()) {
            TableEntry t = catalog.byId(s.tableId());
            out.add(new TablePageStats(
                    s.tableId(),
                    tableName(s.tableId(), t),
                    s.pages(),
                    s.fullImages(),
                    s.deltas(),
                    s.discards(),
                    s.bytes()));
        }
        return out;
    }

    private static String tableName(long id, @Nullable TableEntry t) {
        if (t != null) {
            return t.name();
        }
        return id == CatalogRoot.TABLE_ID ? "(catalogue)" : "#" + id;
    }
}
