package io.stratadb.engine;

import static io.stratadb.engine.RolesTest.insert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.CheckpointInfo;
import io.stratadb.api.Durability;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.Role;
import io.stratadb.api.StrataException;
import io.stratadb.api.TablePageStats;
import io.stratadb.api.TimestampMode;
import io.stratadb.api.pagelog.PageLog;
import io.stratadb.api.pagelog.PageLogOptions;
import io.stratadb.api.pagelog.PageLogProviders;
import io.stratadb.engine.checkpoint.CrashPoint;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Step-up in the crash window of the database's first checkpoint (the intermittent {@link FailoverTest}
 * failure, made deterministic): the old leader has written the checkpoint's page records, and a commit's sync
 * has put them in the shared log, but no checkpoint has ever completed. The new leader's abandon must remove
 * them although there is no completion to abandon down to, because its reconcilers start from no checkpoint
 * and hand out page id 100 again as a new page (full image, backlink 0).
 */
class StepUpCrashWindowTest {
    @TempDir
    Path dir;

    /** A leader whose checkpoint is held at its {@code pages} step, and that checkpoint's outcome. */
    private static final class HeldCheckpoint implements AutoCloseable {
        final CountDownLatch atPages = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicReference<Throwable> outcome = new AtomicReference<>();
        final StrataEngine leader;
        final Thread thread;

        /** Opens the leader, commits rows 0-39, starts its first checkpoint and waits until it holds. */
        HeldCheckpoint(Nodes n, String node) throws InterruptedException {
            CrashPoint holdAtPages = step -> {
                if (step.equals(CrashPoint.PAGES)) {
                    atPages.countDown();
                    try {
                        assertTrue(release.await(30, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            leader = StrataEngine.open(n.config(node, Role.LEADER, false), System::currentTimeMillis, holdAtPages);
            leader.createTable(RolesTest.T, false);
            insert(leader, "T", 0, 40, "before the checkpoint");
            thread = new Thread(() -> {
                try {
                    leader.checkpoint();
                    outcome.set(new AssertionError("the fenced leader's checkpoint completed"));
                } catch (Throwable t) {
                    outcome.set(t);
                }
            });
            thread.start();
            assertTrue(atPages.await(30, TimeUnit.SECONDS), "the old leader's checkpoint reached its pages");
            // a durable commit flushes the buffered page records with it: the orphans are now in the shared log
            insert(leader, "T", 40, 50, "during the checkpoint");
        }

        /** Lets the held checkpoint go on; it must fail FENCED (another node claimed the page log meanwhile). */
        void releaseFenced() throws InterruptedException {
            release.countDown();
            thread.join(TimeUnit.SECONDS.toMillis(30));
            StrataException e = assertInstanceOf(StrataException.class, outcome.get());
            assertEquals(ErrorCode.FENCED, e.code(), e.getMessage());
        }

        @Override
        public void close() {
            release.countDown();
            leader.close();
        }
    }

    @Test
    void aStepUpDuringTheFirstCheckpointAbandonsItsPagesAndTheNewLeaderCheckpoints() throws Exception {
        Nodes n = new Nodes(dir, TimestampMode.AUTO, Durability.FSYNC);
        try (HeldCheckpoint old = new HeldCheckpoint(n, "old");
                StrataEngine f = n.follower("f")) {
            assertTrue(fullImages(f, "T") > 0, "the unfinished checkpoint's page records are in the log");
            assertTrue(f.checkpoints().isEmpty(), "no checkpoint ever completed");

            f.stepUp(); // fences the old leader (as if it were killed here) and abandons its checkpoint
            assertEquals(0, fullImages(f, "T"), "the step-up abandoned every page record of the unfinished checkpoint");
            insert(f, "T", 50, 60, "new leader");
            CheckpointInfo c = f.checkpoint(); // page 100 again, as a new page: backlink 0
            assertTrue(fullImages(f, "T") > 0);
            old.releaseFenced();

            SortedMap<Integer, Object> rows = Nodes.rows(f, "T");
            assertEquals(60, rows.size());
            try (StrataEngine late = n.follower("late")) {
                assertEquals(c.lsn(), late.nodeState().checkpointLsn(), "a new node starts from that checkpoint");
                late.catchUp();
                assertEquals(rows, Nodes.rows(late, "T"));
            }
        }
    }

    @Test
    void aLeaderReopenedAfterDyingInItsFirstCheckpointAbandonsItsPagesAndCheckpoints() throws Exception {
        Nodes n = new Nodes(dir, TimestampMode.AUTO, Durability.FSYNC);
        try (HeldCheckpoint old = new HeldCheckpoint(n, "old")) {
            // the process "dies" here: another instance claims the page log, so nothing more of it is written
            try (PageLog operator = PageLogProviders.open(
                    n.config("old", Role.LEADER, false).pageLogUri(), new PageLogOptions("operator", true))) {
                operator.claimEpoch();
            }
            old.releaseFenced();
        }
        try (StrataEngine again = n.leader("old")) { // open claims, abandons, finds no checkpoint, replays the log
            assertEquals(0, fullImages(again, "T"), "the reopened leader abandoned the unfinished checkpoint");
            assertEquals(50, Nodes.rows(again, "T").size());
            insert(again, "T", 50, 60, "after the restart");
            CheckpointInfo c = again.checkpoint(); // page 100 again, as a new page: backlink 0
            assertTrue(fullImages(again, "T") > 0);
            assertEquals(c.lsn(), again.nodeState().checkpointLsn());
        }
        try (StrataEngine reopened = n.leader("old")) {
            assertEquals(60, Nodes.rows(reopened, "T").size(), "the checkpoint loads back");
        }
    }

    private static long fullImages(StrataEngine e, String table) {
        long id = e.table(table).orElseThrow().id();
        List<TablePageStats> stats = e.pageLogStats();
        return stats.stream()
                .filter(s -> s.tableId() == id)
                .mapToLong(TablePageStats::fullImages)
                .sum();
    }
}
