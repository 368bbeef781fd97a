package io.stratadb.engine.txn;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.stratadb.api.GlobalTxnId;
import io.stratadb.api.HeuristicOutcome;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The heuristic outcomes the engine remembers: prepared transactions an administrator completed unilaterally,
 * kept by xid until they are forgotten.
 *
 * <p>Invariants: (1) at most one outcome per xid; (2) insertion order is completion order (oldest first); (3)
 * every entry was logged (a HEURISTIC record, or replayed from one) before it was added, and a FORGET_HEURISTIC
 * record precedes its removal.
 *
 * <p>Thread safety: thread-safe (one monitor).
 */
public final class HeuristicTable {
    @GuardedBy("this")
    private final Map<GlobalTxnId, HeuristicOutcome> outcomes = new LinkedHashMap<>();

    /** Remembers an outcome (also recovery, from a HEURISTIC record). */
    public synchronized void remember(HeuristicOutcome o) {
        outcomes.put(o.xid(), o);
    }

    /** Remembers the outcome {@code o} supplies when {@code heuristic}. */
    synchronized void rememberIf(boolean heuristic, Supplier<HeuristicOutcome> o) {
        if (heuristic) {
            remember(o.get());
        }
    }

    /** Forgets an outcome (also recovery, from a FORGET_HEURISTIC record); false if none. */
    public synchronized boolean forget(GlobalTxnId xid) {
        return outcomes.remove(xid) != null;
    }

    synchronized @Nullable HeuristicOutcome get(GlobalTxnId xid) {
        return outcomes.get(xid);
    }

    synchronized boolean contains(GlobalTxnId xid) {
        return outcomes.containsKey(xid);
    }

    /** The outcomes, oldest first. */
    public synchronized List<HeuristicOutcome> list() {
        return List.copyOf(outcomes.values());
    }
}
