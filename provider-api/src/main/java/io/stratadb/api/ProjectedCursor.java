package io.stratadb.api;

/**
 * A cursor that narrows the rows of another cursor to some of their columns: the default behind {@link
 * Transaction#cursor(TableHandle, KeyRange, int[])} for providers that decode full rows.
 *
 * <p>Invariants: (1) moves, seeks and closing go to the full cursor unchanged; (2) element {@code i} of {@link
 * #row()} is element {@code columns[i]} of the full cursor's row; every index is within the table's columns
 * (checked by the caller).
 *
 * <p>Thread safety: not thread-safe, like the cursor it wraps.
 *
 * @param full the cursor over full rows; closed with this one
 * @param columns the column of the full row behind each element of a projected row
 * @since 0.1
 */
@SuppressWarnings("ArrayRecordComponent") // a private copy made by the caller, never exposed or mutated
record ProjectedCursor(Cursor full, int[] columns) implements Cursor {
    @Override
    public boolean next() {
        return full.next();
    }

    @Override
    public boolean prev() {
        return full.prev();
    }

    @Override
    public void seek(Object[] key) {
        full.seek(key);
    }

    @Override
    public Object[] row() {
        Object[] row = full.row();
        Object[] out = new Object[columns.length];
        for (int i = 0; i < columns.length; i++) {
            out[i] = row[columns[i]];
        }
        return out;
    }

    @Override
    public void close() {
        full.close();
    }
}
