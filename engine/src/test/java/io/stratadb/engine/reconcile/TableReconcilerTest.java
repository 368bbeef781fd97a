package io.stratadb.engine.reconcile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.pagelog.PageLog;
import io.stratadb.api.pagelog.PageLogHandle;
import io.stratadb.api.pagelog.PageLogOptions;
import io.stratadb.api.pagelog.PageLogProviders;
import io.stratadb.api.pagelog.PageRecord;
import io.stratadb.api.pagelog.PutArgs;
import io.stratadb.engine.btree.BTree;
import io.stratadb.engine.btree.PageMeta;
import io.stratadb.engine.btree.Slot;
import io.stratadb.engine.btree.Update;
import io.stratadb.engine.btree.UpdateOwner;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reconciliation: deltas vs full images, multi-block leaves, and the page-id lifecycle of seed 000. */
class TableReconcilerTest {
    private final PageLog log = PageLogProviders.open(
            URI.create("memory:reconcile-" + System.nanoTime()), new PageLogOptions("test", false));
    private final PageLogHandle handle;
    private final AtomicLong seq = new AtomicLong();

    TableReconcilerTest() {
        log.claimEpoch();
        handle = log.openHandle(7);
    }

    @AfterEach
    void close() {
        log.close();
    }

    private static byte[] key(int i) {
        return String.format("k%04d", i).getBytes(StandardCharsets.UTF_8);
    }

    /** Commits {@code value} for {@code key} at {@code ts}, as the newest version. */
    private void commit(BTree tree, int k, long ts, String value) {
        Slot s = tree.findOrInsert(key(k));
        Update head = s.head();
        UpdateOwner o = UpdateOwner.committed(1, seq.incrementAndGet(), ts, ts);
        assertTrue(s.casHead(head, new Update(o, value.getBytes(StandardCharsets.UTF_8), head)));
    }

    private static PageMeta onlyMeta(BTree tree) {
        List<BTree.LeafView> leaves = tree.leaves();
        assertEquals(1, leaves.size());
        return leaves.get(0).meta();
    }

    private List<String> content(long pageId) {
        List<String> out = new ArrayList<>();
        for (ImageEntry e : PageReader.read(handle, pageId, 0).content()) {
            out.add(new String(e.key(), StandardCharsets.UTF_8) + "="
                    + new String(java.util.Objects.requireNonNull(e.newest().value()), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void seed000DiscardedPageIdIsNeverWrittenAgain() {
        TableReconciler r = new TableReconciler(7, handle, new ReconcileOptions(8, 30, 512), 100);
        BTree tree = new BTree();
        for (int i = 0; i < 10; i++) {
            commit(tree, i, 10, "s" + i);
        }
        commit(tree, 0, 50, "pinned"); // newer than the checkpoint: stays in memory only
        // 1. one block, id X = 100
        assertEquals(List.of(100L), ids(r.reconcile(tree, 20, 20, seq.get())));
        r.commit();
        PageMeta meta = onlyMeta(tree);
        assertEquals(100, meta.pageId());
        long fullX = meta.lastWrittenLsn();
        assertEquals("k0000=s0", content(100).get(0), "the update newer than the checkpoint is not written");
        // 2. rewritten in memory with large values: several blocks; X is discarded and the meta forgets it
        for (int i = 0; i < 10; i++) {
            commit(tree, i, 60, "L".repeat(80) + i);
        }
        List<Long> multi = ids(r.reconcile(tree, 70, 70, seq.get()));
        r.commit();
        assertTrue(multi.size() > 1, multi.toString());
        assertFalse(multi.contains(100L));
        assertEquals(0, meta.pageId(), "the discarded id is invalidated in memory");
        for (long id : multi) {
            assertEquals(0, handle.get(id, 0).get(0).backlinkLsn(), "fresh ids start with backlink 0");
        }
        // 3. back into one block: a fresh id with backlink 0, never X again
        for (int i = 0; i < 10; i++) {
            commit(tree, i, 80, "t" + i);
        }
        List<Long> one = ids(r.reconcile(tree, 90, 90, seq.get()));
        r.commit();
        assertEquals(1, one.size());
        long y = one.get(0);
        assertNotEquals(100L, y);
        assertFalse(multi.contains(y));
        assertEquals(y, meta.pageId());
        PageRecord full = handle.get(y, 0).get(0);
        assertEquals(PageRecord.Kind.FULL, full.kind());
        assertEquals(0, full.backlinkLsn());
        assertArrayEquals(new long[] {y}, handle.pageIds(0), "every other id of the table is discarded");
        assertEquals("k0003=t3", content(y).get(3));
        // the write seed 000 forbids: reusing X with a backlink to its old chain fails the chain check
        StrataException ex = assertThrows(
                StrataException.class,
                () -> handle.put(100, PutArgs.full(fullX), PageImageCodec.encode(false, List.of())));
        assertEquals(ErrorCode.INVALID_ARGUMENT, ex.code());
    }

    @Test
    void smallChangesBecomeDeltasUntilTheCapThenAFullImage() {
        TableReconciler r = new TableReconciler(7, handle, new ReconcileOptions(3, 30, 1 << 20), 100);
        BTree tree = new BTree();
        for (int i = 0; i < 40; i++) {
            commit(tree, i, 10, "value-" + i);
        }
        r.reconcile(tree, 10, 10, seq.get());
        r.commit();
        assertEquals(1, r.stats().fullImages());
        assertEquals(List.of(100L), ids(r.reconcile(tree, 10, 10, seq.get())));
        r.commit();
        assertEquals(1, r.stats().fullImages(), "an unchanged leaf is not written");
        for (int round = 1; round <= 3; round++) {
            commit(tree, round, 20 + round, "changed-" + round);
            r.reconcile(tree, 20 + round, 20 + round, seq.get());
            r.commit();
            assertEquals(round, r.stats().deltas());
            assertEquals(round, onlyMeta(tree).deltaCount());
        }
        assertEquals(4, handle.get(100, 0).size(), "full image + 3 deltas");
        assertEquals("k0002=changed-2", content(100).get(2));
        commit(tree, 5, 30, "changed-5");
        r.reconcile(tree, 30, 30, seq.get());
        r.commit();
        assertEquals(2, r.stats().fullImages(), "the delta cap forces a full image");
        assertEquals(1, handle.get(100, 0).size());
        assertEquals(onlyMeta(tree).baseLsn(), handle.get(100, 0).get(0).lsn());
        for (int i = 0; i < 40; i++) {
            commit(tree, i, 40, "all-new-" + i);
        }
        r.reconcile(tree, 40, 40, seq.get());
        r.commit();
        assertEquals(3, r.stats().fullImages(), "a change of every key is written as a full image");
        assertEquals("k0039=all-new-39", content(100).get(39));
    }

    @Test
    void mergedAwayLeavesHaveTheirIdsDiscardedAndSplitsTakeFreshIds() {
        TableReconciler r = new TableReconciler(7, handle, ReconcileOptions.DEFAULTS, 100);
        BTree tree = new BTree(4);
        List<Slot> slots = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            commit(tree, i, 10, "v" + i);
            slots.add(tree.find(key(i)));
        }
        List<Long> before = ids(r.reconcile(tree, 10, 10, seq.get()));
        r.commit();
        assertEquals(tree.leafCount(), before.size());
        // remove keys so leaves merge (all updates aborted: a rolled-back insert)
        for (int i = 0; i < 9; i++) {
            Slot s = java.util.Objects.requireNonNull(slots.get(i));
            for (Update u = s.head(); u != null; u = u.next()) {
                u.abort();
            }
            tree.removeIfAllAborted(s);
        }
        List<Long> after = ids(r.reconcile(tree, 10, 10, seq.get()));
        r.commit();
        assertTrue(r.stats().discards() > 0);
        long[] live = handle.pageIds(0);
        Arrays.sort(live);
        assertArrayEquals(after.stream().mapToLong(Long::longValue).sorted().toArray(), live);
        // grow again: splits give the new right halves fresh ids above every id used so far
        long maxBefore = Math.max(
                before.stream().mapToLong(Long::longValue).max().orElse(0),
                after.stream().mapToLong(Long::longValue).max().orElse(0));
        for (int i = 20; i < 40; i++) {
            commit(tree, i, 20, "w" + i);
        }
        List<Long> grown = ids(r.reconcile(tree, 20, 20, seq.get()));
        r.commit();
        assertEquals(tree.leafCount(), grown.size());
        assertTrue(grown.stream().anyMatch(id -> id > maxBefore));
        assertTrue(r.nextPageId() > maxBefore);
    }

    @Test
    void aFailedPassIsForgottenAfterAbandon() {
        TableReconciler r = new TableReconciler(7, handle, ReconcileOptions.DEFAULTS, 100);
        BTree tree = new BTree();
        commit(tree, 1, 10, "a");
        r.reconcile(tree, 10, 10, seq.get());
        r.commit();
        log.completeCheckpoint(10, 0, new byte[] {1});
        commit(tree, 1, 20, "b");
        r.reconcile(tree, 20, 20, seq.get());
        log.abandonCheckpoint();
        r.rollback();
        commit(tree, 1, 30, "c");
        r.reconcile(tree, 30, 30, seq.get()); // chains onto the completed state; the page log accepts it
        r.commit();
        assertEquals(List.of("k0001=c"), content(100));
    }

    private static List<Long> ids(List<Block> blocks) {
        return blocks.stream().map(Block::pageId).toList();
    }

    @Test
    void passesReconcileOnlyDirtyLeavesAndSkipUnchangedTables() {
        TableReconciler r = new TableReconciler(7, handle, ReconcileOptions.DEFAULTS, 100);
        BTree tree = new BTree(8);
        for (int i = 0; i < 400; i++) {
            commit(tree, i, 10, "v" + i);
        }
        int leaves = tree.leafCount();
        assertTrue(leaves >= 50, "many leaves: " + leaves);
        List<Long> first = ids(r.reconcile(tree, 10, 10, seq.get()));
        r.commit();
        assertEquals(leaves, r.stats().leavesReconciled(), "the first pass reconciles every leaf");
        assertTrue(
                tree.dirtyLeaves().isEmpty(),
                "nothing is left dirty: " + tree.dirtyLeaves().size());

        assertEquals(first, ids(r.reconcile(tree, 11, 11, seq.get())), "an unchanged table keeps its pages");
        r.commit();
        assertEquals(leaves, r.stats().leavesReconciled(), "an unchanged table is not walked");
        assertEquals(1, r.stats().skippedTables());

        commit(tree, 5, 20, "new5");
        commit(tree, 300, 20, "new300");
        long before = r.stats().leavesReconciled();
        long deltas = r.stats().deltas() + r.stats().fullImages();
        assertEquals(first, ids(r.reconcile(tree, 20, 20, seq.get())));
        r.commit();
        assertEquals(2, r.stats().leavesReconciled() - before, "only the two changed leaves are reconciled");
        assertEquals(2, r.stats().deltas() + r.stats().fullImages() - deltas);

        // a commit durable after the checkpoint timestamp stays pending: its leaf is reconciled again later
        commit(tree, 100, 40, "late");
        before = r.stats().leavesReconciled();
        r.reconcile(tree, 30, 30, seq.get());
        r.commit();
        assertEquals(1, r.stats().leavesReconciled() - before);
        assertFalse(tree.dirtyLeaves().isEmpty(), "the pending leaf stays dirty");
        r.reconcile(tree, 40, 40, seq.get());
        r.commit();
        assertTrue(content(first.get(0)).size() > 0);
        assertTrue(tree.dirtyLeaves().isEmpty());
        boolean found = false;
        for (long id : first) {
            found |= content(id).contains("k0100=late");
        }
        assertTrue(found, "the late commit reached the page log once durable at the checkpoint timestamp");

        // a failed pass leaves the leaves it cleaned dirty
        commit(tree, 7, 50, "x");
        r.reconcile(tree, 50, 50, seq.get());
        r.rollback();
        assertFalse(tree.dirtyLeaves().isEmpty(), "rolled-back pass: the leaf is dirty again");
        before = r.stats().leavesReconciled();
        r.reconcile(tree, 50, 50, seq.get());
        r.commit();
        assertEquals(1, r.stats().leavesReconciled() - before);
    }
}
