package io.stratadb.engine;

import io.stratadb.api.Cursor;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.TxnState;
import io.stratadb.engine.btree.KeyCursor;
import io.stratadb.engine.catalog.TableEntry;
import io.stratadb.engine.row.RowProjection;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Cursor} over one table in one transaction's view, returning full rows or, with a {@link
 * RowProjection}, only the projected columns (the others are skipped, not decoded).
 *
 * <p>Invariants: usable only while its transaction is ACTIVE and the table is live; otherwise every move fails
 * with CLOSED (transaction finished) or TABLE_NOT_FOUND (table dropped).
 *
 * <p>Thread safety: not thread-safe; used by its transaction's thread.
 */
final class StrataCursor implements Cursor {
    private final StrataTransaction txn;
    private final TableEntry table;
    private final KeyCursor cursor;
    private final @Nullable RowProjection projection;
    private boolean closed;

    StrataCursor(StrataTransaction txn, TableEntry table, KeyCursor cursor, @Nullable RowProjection projection) {
        this.txn = txn;
        this.table = table;
        this.cursor = cursor;
        this.projection = projection;
    }

    private void check() {
        if (closed) {
            throw new StrataException(ErrorCode.CLOSED, "cursor on " + table.name() + " is closed");
        }
        if (txn.txn().state() != TxnState.ACTIVE) {
            throw new StrataException(
                    ErrorCode.CLOSED,
                    "cursor on " + table.name() + ": its transaction " + txn.id() + " is "
                            + txn.txn().state());
        }
        table.checkLive();
    }

    @Override
    public boolean next() {
        check();
        try {
            return cursor.next();
        } catch (StrataException e) {
            throw txn.retryable(e, "scanning " + table.name());
        }
    }

    @Override
    public boolean prev() {
        check();
        try {
            return cursor.prev();
        } catch (StrataException e) {
            throw txn.retryable(e, "scanning " + table.name());
        }
    }

    @Override
    public void seek(Object[] key) {
        check();
        cursor.seek(table.keys().encodePrefix(key));
    }

    @Override
    public Object[] row() {
        check();
        if (!cursor.positioned()) {
            throw new StrataException(
                    ErrorCode.INVALID_ARGUMENT, "cursor on " + table.name() + " is not positioned on a row");
        }
        RowProjection p = projection;
        return p == null ? table.rows().decode(cursor.value()) : table.rows().decode(cursor.value(), p);
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "cursor on " + table.name() + (cursor.positioned() ? " at " + Arrays.toString(cursor.key()) : "");
    }
}
