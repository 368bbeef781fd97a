package io.stratadb.engine.catalog;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.TableHandle;
import io.stratadb.api.TableSchema;
import io.stratadb.engine.btree.BTree;
import io.stratadb.engine.row.KeyCodec;
import io.stratadb.engine.row.RowCodec;

/**
 * One table of the catalogue: its id, schema, codecs and tree; the {@link TableHandle} users hold.
 *
 * <p>The tree is the one this node writes: on the leader the live stable tree; on a follower the ingest tree the
 * log is applied to (its stable tree is in the engine's picked-up stable set). Step-up replaces it with the
 * drained stable tree.
 *
 * <p>Invariants: (1) id, schema and codecs never change; the tree changes only at a role transition; (2) once dropped, every use fails with
 * TABLE_NOT_FOUND; (3) an entry belongs to exactly one engine ({@code owner} identifies it).
 *
 * <p>Thread safety: thread-safe.
 */
public final class TableEntry implements TableHandle {
    private final Object owner;
    private final long id;
    private final TableSchema schema;
    private final KeyCodec keys;
    private final RowCodec rows;
    private volatile BTree tree;
    private volatile boolean dropped;

    TableEntry(Object owner, long id, TableSchema schema, BTree tree) {
        this.owner = owner;
        this.id = id;
        this.schema = schema;
        this.keys = new KeyCodec(schema);
        this.rows = new RowCodec(schema);
        this.tree = tree;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public TableSchema schema() {
        return schema;
    }

    public KeyCodec keys() {
        return keys;
    }

    public RowCodec rows() {
        return rows;
    }

    public BTree tree() {
        return tree;
    }

    /** Replaces the tree (step-up: the drained stable tree becomes the live tree). */
    public void replaceTree(BTree next) {
        tree = next;
    }

    public boolean dropped() {
        return dropped;
    }

    void markDropped() {
        dropped = true;
    }

    /** Whether this entry belongs to the catalogue identified by {@code catalogOwner}. */
    public boolean ownedBy(Object catalogOwner) {
        return owner == catalogOwner;
    }

    /** Throws TABLE_NOT_FOUND if the table was dropped. */
    public void checkLive() {
        if (dropped) {
            throw new StrataException(ErrorCode.TABLE_NOT_FOUND, "table " + schema.name() + " was dropped");
        }
    }

    @Override
    public String toString() {
        return "table " + schema.name() + " (id " + id + ")";
    }
}
