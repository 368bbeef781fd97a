package io.stratadb.engine.txn;

import io.stratadb.api.GlobalTxnId;
import io.stratadb.api.TransactionInfo;
import io.stratadb.api.TxnState;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The transactions of one engine that have not finished: active and prepared ones in a table of slots, prepared
 * ones also by xid.
 *
 * <p>A beginning transaction takes a free slot near its thread's home slot with one compare-and-set, and its
 * commit or rollback clears that slot: no map entry, no boxed id and no shared counter per transaction (a
 * concurrent map cost two of each per commit, and every committing thread updated its size counter). Slots live
 * in chunks that are never moved or shrunk, so a slot index stays valid; listings scan every slot (they are rare:
 * horizon refreshes every few dozen commits, administration).
 *
 * <p>Invariants: (1) a transaction is in a slot from begin (or recovery) until it commits or rolls back, and in
 * one slot only, whose index it records before it takes it; (2) a prepared transaction is in {@code byXid} under
 * its xid, and xids are unique among them.
 *
 * <p>Thread safety: thread-safe (slots are read and written with volatile or compare-and-set access, chunks are
 * added under {@code growLock}); listings are weakly consistent snapshots.
 */
final class LiveTxns {
    private static final int CHUNK_BITS = 8;
    private static final int CHUNK = 1 << CHUNK_BITS;
    /** Home slots of threads are this far apart: 16 compressed references, one cache line. */
    private static final int SPREAD = 16;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Txn[].class);

    private final Object growLock = new Object();
    private volatile Txn[][] chunks = {new Txn[CHUNK]};
    private final ConcurrentHashMap<GlobalTxnId, Txn> byXid = new ConcurrentHashMap<>();

    /** Publishes {@code t} in a free slot (its index is recorded in {@code t} first). */
    void add(Txn t) {
        while (true) {
            Txn[][] cs = chunks;
            int capacity = cs.length << CHUNK_BITS;
            int start = (int) ((Thread.currentThread().getId() * SPREAD) & (capacity - 1));
            for (int k = 0; k < capacity; k++) {
                int i = (start + k) & (capacity - 1);
                Txn[] c = cs[i >>> CHUNK_BITS];
                int j = i & (CHUNK - 1);
                if (SLOT.getVolatile(c, j) == null) {
                    t.setLiveSlot(i);
                    if (SLOT.compareAndSet(c, j, (Txn) null, t)) {
                        return;
                    }
                }
            }
            grow(cs);
        }
    }

    private void grow(Txn[][] seen) {
        synchronized (growLock) {
            if (chunks == seen) { // capacity stays a power of two
                Txn[][] bigger = Arrays.copyOf(seen, seen.length * 2);
                for (int c = seen.length; c < bigger.length; c++) {
                    bigger[c] = new Txn[CHUNK];
                }
                chunks = bigger;
            }
        }
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
        clearSlot(t);
        GlobalTxnId x = t.xid();
        if (x != null) {
            byXid.remove(x, t);
        }
    }

    private void clearSlot(Txn t) {
        int i = t.liveSlot();
        if (i < 0) {
            return;
        }
        Txn[][] cs = chunks;
        if ((i >>> CHUNK_BITS) < cs.length) {
            SLOT.compareAndSet(cs[i >>> CHUNK_BITS], i & (CHUNK - 1), t, (Txn) null);
        }
    }

    /** The number of slots (for {@link #at}); only grows. */
    int capacity() {
        return chunks.length << CHUNK_BITS;
    }

    /** The transaction in slot {@code i} (below {@link #capacity()}), or null. */
    @Nullable
    Txn at(int i) {
        return (Txn) SLOT.getVolatile(chunks[i >>> CHUNK_BITS], i & (CHUNK - 1));
    }

    /** Every live transaction (a snapshot). */
    List<Txn> all() {
        List<Txn> out = new ArrayList<>();
        for (Txn[] c : chunks) {
            for (int j = 0; j < CHUNK; j++) {
                Txn t = (Txn) SLOT.getVolatile(c, j);
                if (t != null) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    Collection<Txn> preparedTxns() {
        return byXid.values();
    }

    boolean isEmpty() {
        return all().isEmpty();
    }

    int size() {
        return all().size();
    }

    /** The prepared transaction with that id, or null. */
    @Nullable
    Txn preparedById(long txnId) {
        for (Txn t : all()) {
            if (t.id() == txnId && t.state() == TxnState.PREPARED) {
                return t;
            }
        }
        return null;
    }

    /** The ACTIVE transactions {@code which} selects (a snapshot). */
    List<Txn> active(Predicate<Txn> which) {
        List<Txn> out = new ArrayList<>();
        for (Txn t : all()) {
            if (t.state() == TxnState.ACTIVE && which.test(t)) {
                out.add(t);
            }
        }
        return out;
    }

    /** Forgets every prepared transaction without resolving it (a follower about to replay the log again). */
    void forgetPrepared() {
        for (Map.Entry<GlobalTxnId, Txn> e : List.copyOf(byXid.entrySet())) {
            clearSlot(e.getValue());
            byXid.remove(e.getKey(), e.getValue());
        }
    }

    /** The smallest stable-set generation an ACTIVE transaction reads, or {@code Long.MAX_VALUE} if none. */
    long minStableGeneration() {
        long min = Long.MAX_VALUE;
        for (Txn t : all()) {
            if (t.state() == TxnState.ACTIVE) {
                min = Math.min(min, t.stableGeneration());
            }
        }
        return min;
    }

    /** Active and prepared transactions, by id. */
    List<TransactionInfo> infos() {
        List<TransactionInfo> out = new ArrayList<>();
        for (Txn t : all()) {
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
