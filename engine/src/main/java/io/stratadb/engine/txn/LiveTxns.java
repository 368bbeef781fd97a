package io.stratadb.engine.txn;

import io.stratadb.api.GlobalTxnId;
import io.stratadb.api.TransactionInfo;
import io.stratadb.api.TxnState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The transactions of one engine that have not finished: active ones by id, prepared ones also by xid.
 *
 * <p>Invariants: (1) a transaction is in {@code byId} from begin (or recovery) until it commits or rolls back;
 * (2) a prepared transaction is in {@code byXid} under its xid, and xids are unique among them.
 *
 * <p>Thread safety: thread-safe (concurrent maps); listings are weakly consistent snapshots.
 */
final class LiveTxns {
    private final ConcurrentHashMap<Long, Txn> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<GlobalTxnId, Txn> byXid = new ConcurrentHashMap<>();

    void add(Txn t) {
        byId.put(t.key(), t);
    }

    void addPrepared(GlobalTxnId xid, Txn t) {
        byXid.put(xid, t);
    }

    boolean hasPrepared(GlobalTxnId xid) {
        return byXid.containsKey(xid);
    }

    @Nullable
    Txn prepared(GlobalTxnId xid) {
        return byXid.get(xid);
    }

    /** Removes a finished transaction. */
    void remove(Txn t) {
        byId.remove(t.key());
        GlobalTxnId x = t.xid();
        if (x != null) {
            byXid.remove(x, t);
        }
    }

    Collection<Txn> all() {
        return byId.values();
    }

    Collection<Txn> preparedTxns() {
        return byXid.values();
    }

    boolean isEmpty() {
        return byId.isEmpty();
    }

    int size() {
        return byId.size();
    }

    /** The prepared transaction with that id, or null. */
    @Nullable
    Txn preparedById(long txnId) {
        Txn t = byId.get(txnId);
        return t != null && t.state() == TxnState.PREPARED ? t : null;
    }

    /** The ACTIVE transactions {@code which} selects (a snapshot). */
    List<Txn> active(Predicate<Txn> which) {
        List<Txn> out = new ArrayList<>();
        for (Txn t : byId.values()) {
            if (t.state() == TxnState.ACTIVE && which.test(t)) {
                out.add(t);
            }
        }
        return out;
    }

    /** Forgets every prepared transaction without resolving it (a follower about to replay the log again). */
    void forgetPrepared() {
        for (Map.Entry<GlobalTxnId, Txn> e : List.copyOf(byXid.entrySet())) {
            byId.remove(e.getValue().id());
            byXid.remove(e.getKey(), e.getValue());
        }
    }

    /** The smallest stable-set generation an ACTIVE transaction reads, or {@code Long.MAX_VALUE} if none. */
    long minStableGeneration() {
        long min = Long.MAX_VALUE;
        for (Txn t : byId.values()) {
            if (t.state() == TxnState.ACTIVE) {
                min = Math.min(min, t.stableGeneration());
            }
        }
        return min;
    }

    /** Active and prepared transactions, by id. */
    List<TransactionInfo> infos() {
        List<TransactionInfo> out = new ArrayList<>();
        for (Txn t : byId.values()) {
            TxnState s = t.state();
            if (s.finished()) {
                continue;
            }
            out.add(new TransactionInfo(
                    t.id(),
                    s,
                    t.options().readTimestamp(),
                    t.prepareTs(),
                    t.commitTs(),
                    t.writes().size(),
                    t.xid()));
        }
        out.sort(Comparator.comparingLong(TransactionInfo::id));
        return out;
    }

    Optional<Txn> preparedOptional(GlobalTxnId xid) {
        return Optional.ofNullable(byXid.get(xid));
    }
}
