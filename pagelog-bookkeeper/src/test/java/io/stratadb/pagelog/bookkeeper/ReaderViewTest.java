package io.stratadb.pagelog.bookkeeper;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stratadb.api.pagelog.CheckpointCompletion;
import io.stratadb.api.pagelog.PageLog;
import io.stratadb.api.pagelog.PageLogOptions;
import io.stratadb.api.pagelog.PageLogProviders;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A reader's list of completed checkpoints, which it re-reads from ZooKeeper only when its ledgers show a new
 * {@code COMPLETION} or {@code RECLAIM} entry: a completion is listed as soon as {@code completeCheckpoint}
 * returns on the writer, and a checkpoint that a reclaim made unreadable is never listed after the reclaim
 * returns. No sleeps: each check runs right after the writer's call.
 */
@ExtendWith(BookKeeperCluster.Extension.class)
class ReaderViewTest {
    private static List<Long> lsns(List<CheckpointCompletion> cs) {
        return cs.stream().map(CheckpointCompletion::lsn).toList();
    }

    @Test
    void aReaderListsEachCompletionAtOnceAndDropsReclaimedOnes() {
        URI uri = BookKeeperCluster.get().freshUri("readerview");
        try (PageLog w = PageLogProviders.open(uri, new PageLogOptions("w", true));
                PageLog r = PageLogProviders.open(uri, new PageLogOptions("r", true))) {
            w.claimEpoch();
            assertEquals(List.of(), r.completedCheckpoints());
            w.sync(w.append(1, new byte[] {1}));
            assertEquals(List.of(), r.completedCheckpoints(), "no completion yet");
            CheckpointCompletion c1 = w.completeCheckpoint(10, 1, new byte[] {1});
            assertEquals(c1.lsn(), r.completedCheckpoint(0).orElseThrow().lsn(), "listed once complete returns");
            assertEquals(List.of(c1.lsn()), lsns(r.completedCheckpoints()), "and still listed, unchanged");
            for (int i = 0; i < 5; i++) {
                w.sync(w.append(1, new byte[] {2}));
                assertEquals(c1.lsn(), r.completedCheckpoint(0).orElseThrow().lsn());
            }
            CheckpointCompletion c2 = w.completeCheckpoint(20, 1, new byte[] {2});
            assertEquals(c2.lsn(), r.completedCheckpoint(0).orElseThrow().lsn());
            CheckpointCompletion c3 = w.completeCheckpoint(30, 1, new byte[] {3});
            assertEquals(List.of(c1.lsn(), c2.lsn(), c3.lsn()), lsns(r.completedCheckpoints()));
            w.reclaim(c2.lsn());
            assertEquals(
                    List.of(c2.lsn(), c3.lsn()),
                    lsns(r.completedCheckpoints()),
                    "the checkpoint below the reclaim is gone for the reader too");
            assertEquals(c2.lsn(), r.completedCheckpoint(c1.lsn()).orElseThrow().lsn());
            try (PageLog fresh = PageLogProviders.open(uri, new PageLogOptions("x", true))) {
                assertEquals(List.of(c2.lsn(), c3.lsn()), lsns(fresh.completedCheckpoints()));
            }
        }
    }
}
