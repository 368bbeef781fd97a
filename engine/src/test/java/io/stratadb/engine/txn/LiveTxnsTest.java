package io.stratadb.engine.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.GlobalTxnId;
import io.stratadb.api.StrataException;
import io.stratadb.api.TimestampMode;
import io.stratadb.api.TransactionOptions;
import io.stratadb.engine.btree.BTree;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class LiveTxnsTest {
    private final AtomicLong clock = new AtomicLong();
    private final TxnManager mgr = new TxnManager(TimestampMode.AUTO, clock::incrementAndGet);

    @Test
    void transactionsAreListedUntilTheyFinishAlsoBeyondTheFirstChunkOfSlots() {
        List<Txn> open = new ArrayList<>();
        for (int i = 0; i < 2500; i++) { // more than one chunk of slots
            open.add(mgr.begin(TransactionOptions.defaults()));
        }
        assertEquals(2500, mgr.liveCount());
        Set<Long> listed = new HashSet<>();
        mgr.transactions().forEach(info -> listed.add(info.id()));
        for (Txn t : open) {
            assertTrue(listed.contains(t.id()), "transaction " + t.id() + " is listed");
        }
        for (int i = 0; i < open.size(); i += 2) {
            open.get(i).rollback();
        }
        assertEquals(1250, mgr.liveCount());
        for (int i = 1; i < open.size(); i += 2) {
            open.get(i).commit(0, 0);
        }
        assertEquals(0, mgr.liveCount());
        assertTrue(mgr.transactions().isEmpty());
        Txn again = mgr.begin(TransactionOptions.defaults()); // freed slots are taken again
        assertEquals(1, mgr.liveCount());
        again.rollback();
    }

    @Test
    void aPreparedTransactionIsFoundByIdAndByXidUntilResolved() {
        BTree tree = new BTree();
        Txn t = mgr.begin(TransactionOptions.defaults());
        assertTrue(t.write(1, tree, new byte[] {1}, new byte[] {2}, WriteMode.UPSERT));
        GlobalTxnId xid = new GlobalTxnId(1, new byte[] {7}, new byte[0]);
        t.prepare(0, xid);
        assertSame(t, mgr.preparedById(t.id()));
        assertSame(t, mgr.prepared(xid).orElseThrow());
        t.commit(0, 0);
        assertNull(mgr.preparedById(t.id()));
        assertTrue(mgr.prepared(xid).isEmpty());
        assertEquals(0, mgr.liveCount());
    }

    /**
     * While a transaction is live, the pruning horizon never passes its snapshot, also when the horizon is
     * recomputed while the transaction begins (it publishes itself, then confirms its snapshot).
     */
    @Test
    void theHorizonNeverPassesTheSnapshotOfALiveTransaction() throws Exception {
        long seed = Long.getLong("seed", System.nanoTime());
        BTree tree = new BTree();
        long end = System.nanoTime() + 1_000_000_000L;
        AtomicReference<@Nullable String> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            SplittableRandom rnd = new SplittableRandom(seed + w);
            threads.add(new Thread(() -> {
                while (System.nanoTime() < end && failure.get() == null) {
                    Txn t = mgr.begin(TransactionOptions.defaults());
                    try {
                        t.write(1, tree, new byte[] {(byte) rnd.nextInt(64)}, new byte[] {1}, WriteMode.UPSERT);
                        t.commit(0, 0);
                    } catch (StrataException e) {
                        t.rollback(); // a write conflict with the other writer
                    }
                    mgr.horizon().refresh();
                }
            }));
        }
        threads.add(new Thread(() -> {
            long checks = 0;
            while (System.nanoTime() < end && failure.get() == null) {
                Txn t = mgr.begin(TransactionOptions.defaults());
                long s = t.view().snapshotSeq();
                for (int i = 0; i < 4; i++) {
                    long h = mgr.horizon().current().seq();
                    if (h > s) {
                        failure.set("horizon " + h + " passed the snapshot " + s + " of live transaction " + t.id()
                                + " after " + checks + " checks (seed " + seed + ")");
                    }
                    checks++;
                }
                t.commit(0, 0);
            }
        }));
        threads.forEach(Thread::start);
        for (Thread th : threads) {
            th.join();
        }
        assertNull(failure.get());
        assertEquals(0, mgr.liveCount());
    }
}
