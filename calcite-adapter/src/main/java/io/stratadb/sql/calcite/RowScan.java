package io.stratadb.sql.calcite;

import io.stratadb.api.ColumnDef;
import io.stratadb.api.ColumnType;
import io.stratadb.api.Cursor;
import io.stratadb.api.KeyRange;
import io.stratadb.api.TableHandle;
import io.stratadb.api.Transaction;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.calcite.linq4j.Enumerator;
import org.jspecify.annotations.Nullable;

/**
 * An enumerator over the rows of one access path in one transaction, projected and converted to Calcite's
 * representation. Key ranges are read through projected engine cursors, so only the projected columns are
 * decoded and each row arrives in an array of its own (no copy); point look-ups read full rows and project them
 * here.
 *
 * <p>Invariants: (1) at most one engine cursor is open at a time, and {@link #close()} closes it; (2) rows are
 * returned in key order within each range, ranges and points in plan order.
 *
 * <p>Thread safety: not thread-safe; used by the thread running the statement.
 */
final class RowScan implements Enumerator<@Nullable Object[]> {
    private static final @Nullable Object[] NO_COLUMNS = new Object[0];

    private final Transaction tx;
    private final TableHandle table;
    private final AccessPath path;
    private final int @Nullable [] projects;
    private final int[] columns; // the columns cursors return: the projection, or every column in order
    private final boolean binary; // whether a returned column is VARBINARY (byte[] becomes ByteString)
    private int next; // index of the next point or range
    private @Nullable Cursor cursor;
    private @Nullable Object @Nullable [] current;

    RowScan(Transaction tx, TableHandle table, AccessPath path, int @Nullable [] projects) {
        this.tx = tx;
        this.table = table;
        this.path = path;
        this.projects = projects;
        List<ColumnDef> defs = table.schema().columns();
        this.columns = projects != null
                ? projects.clone()
                : IntStream.range(0, defs.size()).toArray();
        boolean b = false;
        for (int i : columns) {
            b |= defs.get(i).type() == ColumnType.VARBINARY;
        }
        this.binary = b;
    }

    @Override
    public @Nullable Object[] current() {
        if (current == null) {
            throw new java.util.NoSuchElementException("scan of " + table.name() + " is not positioned on a row");
        }
        return current;
    }

    @Override
    public boolean moveNext() {
        if (path.kind() == AccessPath.Kind.EMPTY) {
            return false;
        }
        if (path.kind() == AccessPath.Kind.POINTS) {
            while (next < path.points().size()) {
                Object[] row = tx.get(table, path.points().get(next++));
                if (row != null) {
                    current = project(row);
                    return true;
                }
            }
            return false;
        }
        while (true) {
            Cursor c = cursor;
            if (c == null) {
                boolean full = path.kind() == AccessPath.Kind.FULL;
                if (full ? next > 0 : next >= path.ranges().size()) {
                    return false;
                }
                KeyRange r = full ? KeyRange.all() : path.ranges().get(next);
                next++;
                // a projected cursor (also for every column) decodes only those columns, into a new array
                c = tx.cursor(table, r, columns);
                cursor = c;
            }
            if (c.next()) {
                if (columns.length == 0) {
                    current = NO_COLUMNS; // COUNT(*): nothing to decode, not even the row's header
                    return true;
                }
                Object[] row = c.row();
                current = binary ? TypeMapping.rowToCalcite(row) : row;
                return true;
            }
            c.close();
            cursor = null;
        }
    }

    private @Nullable Object[] project(Object[] row) {
        int[] p = projects;
        if (p == null) {
            return TypeMapping.rowToCalcite(row.clone());
        }
        if (p.length == 0) {
            return NO_COLUMNS;
        }
        @Nullable Object[] out = new Object[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = TypeMapping.toCalcite(row[p[i]]);
        }
        return out;
    }

    @Override
    public void reset() {
        close();
        next = 0;
        current = null;
    }

    @Override
    public void close() {
        Cursor c = cursor;
        cursor = null;
        if (c != null) {
            c.close();
        }
    }
}
