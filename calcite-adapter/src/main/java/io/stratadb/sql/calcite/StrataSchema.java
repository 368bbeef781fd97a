package io.stratadb.sql.calcite;

import io.stratadb.api.Engine;
import io.stratadb.api.TableHandle;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;

/**
 * The {@code PUBLIC} schema: the engine's catalogue of user tables, read afresh on every look-up so that tables
 * created or dropped by any connection are seen at once.
 *
 * <p>Invariants: one {@link StrataTable} object per table id, reused while the table exists (so Calcite's plan
 * caches see stable objects).
 *
 * <p>Thread safety: thread-safe.
 */
public final class StrataSchema extends AbstractSchema {
    /** The name of the user schema. */
    public static final String NAME = "PUBLIC";

    private final Engine engine;
    private final Map<Long, StrataTable> byId = new ConcurrentHashMap<>();

    public StrataSchema(Engine engine) {
        this.engine = engine;
    }

    @Override
    protected Map<String, Table> getTableMap() {
        Map<String, Table> out = new LinkedHashMap<>();
        for (TableHandle h : engine.tables()) {
            StrataTable t = byId.get(h.id());
            if (t == null || !t.schema().equals(h.schema())) {
                t = new StrataTable(h);
                byId.put(h.id(), t);
            }
            out.put(h.name(), t);
        }
        byId.keySet()
                .retainAll(out.values().stream()
                        .map(t -> ((StrataTable) t).handle().id())
                        .toList());
        return out;
    }

    @Override
    public boolean isMutable() {
        return true;
    }
}
