package io.stratadb.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The default {@link Transaction#cursor(TableHandle, KeyRange, int[])} of a provider that only decodes full rows:
 * the same moves, rows narrowed to the requested columns, bad indexes refused.
 */
class ProjectedCursorTest {
    private static final TableSchema SCHEMA = new TableSchema(
            "T",
            List.of(
                    new ColumnDef("ID", ColumnType.INTEGER, 0, 0, false, null),
                    ColumnDef.of("A", ColumnType.VARCHAR),
                    ColumnDef.of("B", ColumnType.BIGINT)),
            List.of(0));

    private static final TableHandle TABLE = new TableHandle() {
        @Override
        public long id() {
            return 1;
        }

        @Override
        public TableSchema schema() {
            return SCHEMA;
        }
    };

    /** A cursor over fixed full rows. */
    private static final class ListCursor implements Cursor {
        private final List<Object[]> rows;
        private int at = -1;
        boolean closed;

        ListCursor(List<Object[]> rows) {
            this.rows = rows;
        }

        @Override
        public boolean next() {
            at = Math.min(at + 1, rows.size());
            return at < rows.size();
        }

        @Override
        public boolean prev() {
            at = Math.max(at - 1, -1);
            return at >= 0;
        }

        @Override
        public void seek(Object[] key) {
            at = (Integer) key[0] - 1;
        }

        @Override
        public Object[] row() {
            return rows.get(at).clone();
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** A transaction whose only implemented method is the full-row cursor; defaults run as written. */
    private static Transaction transaction(ListCursor full) {
        InvocationHandler h = (proxy, method, args) -> {
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            if (method.getName().equals("cursor")) {
                return full;
            }
            throw new UnsupportedOperationException(method.getName());
        };
        return (Transaction)
                Proxy.newProxyInstance(Transaction.class.getClassLoader(), new Class<?>[] {Transaction.class}, h);
    }

    @Test
    void theDefaultNarrowsFullRowsAndKeepsTheMoves() {
        ListCursor full = new ListCursor(List.of(new Object[] {0, "a", 10L}, new Object[] {1, null, 11L}));
        Transaction tx = transaction(full);
        int[] cols = {2, 0, 2};
        try (Cursor c = tx.cursor(TABLE, KeyRange.all(), cols)) {
            cols[0] = 1; // the cursor keeps its own copy of the projection
            assertTrue(c.next());
            assertArrayEquals(new Object[] {10L, 0, 10L}, c.row());
            assertTrue(c.next());
            assertArrayEquals(new Object[] {11L, 1, 11L}, c.row());
            assertFalse(c.next());
            assertTrue(c.prev());
            assertArrayEquals(new Object[] {11L, 1, 11L}, c.row());
            c.seek(new Object[] {0});
            assertTrue(c.next());
            assertEquals(0, c.row()[1]);
        }
        assertTrue(full.closed, "closing the projected cursor closes the full one");
        try (Cursor c = tx.cursor(TABLE, KeyRange.all(), new int[0])) {
            assertTrue(c.next());
            assertEquals(0, c.row().length);
        }
    }

    @Test
    void anIndexOutsideTheTableIsRefused() {
        Transaction tx = transaction(new ListCursor(List.of()));
        StrataException e =
                assertThrows(StrataException.class, () -> tx.cursor(TABLE, KeyRange.all(), new int[] {0, 3}));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("table T"), e.getMessage());
        assertEquals(
                ErrorCode.INVALID_ARGUMENT,
                assertThrows(StrataException.class, () -> tx.cursor(TABLE, KeyRange.all(), new int[] {-1}))
                        .code());
    }
}
