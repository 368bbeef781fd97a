package io.stratadb.sql.xa;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.stratadb.api.Engine;
import io.stratadb.api.GlobalTxnId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The unprepared XA branches of one open engine, shared by every XA resource on that engine (so that a branch
 * started on one connection can be joined, resumed, prepared or rolled back through another).
 *
 * <p>Invariants: (1) one table per open engine instance, found with {@link #of(Engine)}, dropped once the engine
 * is closed; (2) at most one branch
 * per xid; (3) prepared branches are not here: the engine keeps them (durably) and resolves them by xid; (4)
 * branches not associated with a connection whose deadline passed are rolled back by {@link #expire}.
 *
 * <p>Thread safety: thread-safe; callers synchronize on the table for compound actions (it is the lock of its
 * branches' state).
 */
final class BranchTable {
    private static final Map<Engine, BranchTable> TABLES = new WeakHashMap<>();

    @GuardedBy("this")
    private final Map<GlobalTxnId, Branch> branches = new HashMap<>();

    private BranchTable() {}

    /** The table of {@code engine}; forgets the tables of closed engines (their branches were rolled back). */
    static BranchTable of(Engine engine) {
        synchronized (TABLES) {
            // a branch's session refers to its engine, so a weak key alone would never be cleared
            TABLES.keySet().removeIf(e -> e != engine && closed(e));
            return TABLES.computeIfAbsent(engine, e -> new BranchTable());
        }
    }

    private static boolean closed(Engine e) {
        try {
            e.timestamps();
            return false;
        } catch (RuntimeException ex) {
            return true;
        }
    }

    @GuardedBy("this")
    @Nullable
    Branch get(GlobalTxnId xid) {
        return branches.get(xid);
    }

    @GuardedBy("this")
    void put(Branch b) {
        branches.put(b.xid, b);
    }

    @GuardedBy("this")
    void remove(Branch b) {
        branches.remove(b.xid, b);
    }

    /** Rolls back every unassociated branch whose deadline is before {@code nowMillis}; they stay, rollback-only. */
    @GuardedBy("this")
    void expire(long nowMillis) {
        List<Branch> late = new ArrayList<>();
        for (Branch b : branches.values()) {
            if (b.associations == 0 && b.state != BranchState.ROLLBACK_ONLY && nowMillis > b.deadlineMillis) {
                late.add(b);
            }
        }
        for (Branch b : late) {
            b.markRollbackOnly(true);
        }
    }

    /** Branches in the table (tests). */
    synchronized int size() {
        return branches.size();
    }
}
