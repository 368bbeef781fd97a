package io.stratadb.engine.catalog;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.TableHandle;
import io.stratadb.api.TableSchema;
import io.stratadb.engine.btree.BTree;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The engine's tables by name and by id.
 *
 * <p>Invariants: (1) names are unique (case-sensitive) among live tables; (2) ids are never reused, also across
 * restarts (recovery raises the id counter past every id it replays); (3) the first table id is {@link
 * #FIRST_TABLE_ID}.
 *
 * <p>Thread safety: thread-safe; DDL is additionally serialized by the engine's commit lock so that its log
 * records are in LSN order with the commits around them.
 */
public final class Catalog {
    /** The first id given to a table. */
    public static final long FIRST_TABLE_ID = 1;

    private final ConcurrentHashMap<String, TableEntry> byName = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, TableEntry> byId = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(FIRST_TABLE_ID);

    /** The id the next new table gets. */
    public long peekNextId() {
        return nextId.get();
    }

    /** Raises the id counter to at least {@code next} (recovery from a checkpoint). */
    public void raiseNextId(long next) {
        nextId.accumulateAndGet(next, Math::max);
    }

    /** Adds a table with a given id (new, or replayed); fails with TABLE_EXISTS if the name is taken. */
    public TableEntry add(long id, TableSchema schema) {
        return add(id, schema, new BTree());
    }

    /** Adds a table with a given id and tree (loaded from a checkpoint); fails with TABLE_EXISTS if taken. */
    public TableEntry add(long id, TableSchema schema, BTree tree) {
        TableEntry e = new TableEntry(this, id, schema, tree);
        if (byName.putIfAbsent(schema.name(), e) != null) {
            throw new StrataException(ErrorCode.TABLE_EXISTS, "table " + schema.name() + " already exists");
        }
        byId.put(id, e);
        nextId.accumulateAndGet(id + 1, Math::max);
        return e;
    }

    /** Removes a table; returns it, or null if absent. */
    public @Nullable TableEntry remove(String name) {
        TableEntry e = byName.remove(name);
        if (e != null) {
            byId.remove(e.id());
            e.markDropped();
        }
        return e;
    }

    public @Nullable TableEntry byName(String name) {
        return byName.get(name);
    }

    public @Nullable TableEntry byId(long id) {
        return byId.get(id);
    }

    public Optional<TableHandle> table(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Every table, in name order. */
    public List<TableEntry> entries() {
        List<TableEntry> out = new ArrayList<>(byName.values());
        out.sort(Comparator.comparing(t -> t.schema().name()));
        return out;
    }

    /** The entry behind a user's handle; TABLE_NOT_FOUND if foreign or dropped. */
    public TableEntry resolve(TableHandle handle) {
        if (!(handle instanceof TableEntry e) || !e.ownedBy(this)) {
            throw new StrataException(
                    ErrorCode.TABLE_NOT_FOUND, "table " + handle.name() + " does not belong to this engine");
        }
        e.checkLive();
        return e;
    }
}
