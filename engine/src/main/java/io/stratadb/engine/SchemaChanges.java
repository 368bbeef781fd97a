package io.stratadb.engine;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.TableHandle;
import io.stratadb.api.TableSchema;
import io.stratadb.engine.catalog.Catalog;
import io.stratadb.engine.catalog.SchemaCodec;
import io.stratadb.engine.catalog.TableEntry;
import io.stratadb.engine.log.CommitLog;
import io.stratadb.engine.log.LogEntry;
import io.stratadb.engine.role.RoleState;
import io.stratadb.engine.txn.TxnManager;
import java.util.function.Supplier;

/**
 * CREATE TABLE and DROP TABLE on a leader: each is one commit-log record, appended under the commit lock so
 * that it sits in commit order, and applied to the catalogue under the same lock.
 *
 * <p>Invariants: (1) a schema change registers with the role's schema gate for its whole duration, so no role
 * transition runs beside it (seed 003), and it is refused with 55000 while one runs; (2) the catalogue changes
 * only if the log append succeeded; (3) the caller learns of success only once the record is durable (as far
 * as the durability mode promises).
 *
 * <p>Thread safety: thread-safe; serialization comes from the commit lock.
 */
final class SchemaChanges {
    /** Runs an operation and deposes the node if it meets a fenced page log (the engine's wrapper). */
    interface Fenced {
        <T> T run(Supplier<T> op);
    }

    private final RoleState role;
    private final TxnManager txns;
    private final Catalog catalog;
    private final Supplier<CommitLog> log;
    private final Supplier<String> leaderName;
    private final Fenced fenced;

    SchemaChanges(
            RoleState role,
            TxnManager txns,
            Catalog catalog,
            Supplier<CommitLog> log,
            Supplier<String> leaderName,
            Fenced fenced) {
        this.role = role;
        this.txns = txns;
        this.catalog = catalog;
        this.log = log;
        this.leaderName = leaderName;
        this.fenced = fenced;
    }

    TableHandle create(TableSchema schema, boolean ifNotExists) {
        byte[] encoded = SchemaCodec.encode(schema);
        role.beginSchemaOp("CREATE TABLE " + schema.name(), leaderName);
        try {
            return fenced.run(() -> {
                CommitLog cl = log.get();
                long[] lsn = {0};
                TableEntry created = txns.withCommitLock(() -> {
                    TableEntry existing = catalog.byName(schema.name());
                    if (existing != null) {
                        if (ifNotExists) {
                            return existing;
                        }
                        throw new StrataException(ErrorCode.TABLE_EXISTS, "table " + schema.name() + " already exists");
                    }
                    long id = catalog.peekNextId();
                    lsn[0] = cl.append(new LogEntry.CreateTable(id, encoded));
                    return catalog.add(id, schema);
                });
                cl.awaitDurable(lsn[0]);
                return created;
            });
        } finally {
            role.endSchemaOp();
        }
    }

    boolean drop(String name, boolean ifExists) {
        role.beginSchemaOp("DROP TABLE " + name, leaderName);
        try {
            return fenced.run(() -> {
                CommitLog cl = log.get();
                long[] lsn = {0};
                boolean dropped = txns.withCommitLock(() -> {
                    TableEntry t = catalog.byName(name);
                    if (t == null) {
                        if (ifExists) {
                            return false;
                        }
                        throw new StrataException(ErrorCode.TABLE_NOT_FOUND, "table " + name + " does not exist");
                    }
                    lsn[0] = cl.append(new LogEntry.DropTable(t.id()));
                    catalog.remove(name);
                    return true;
                });
                cl.awaitDurable(lsn[0]);
                return dropped;
            });
        } finally {
            role.endSchemaOp();
        }
    }
}
