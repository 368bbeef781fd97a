package io.stratadb.engine;

import static io.stratadb.engine.EngineBasicsTest.ACCOUNTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stratadb.api.Engine;
import io.stratadb.api.ErrorCode;
import io.stratadb.api.Session;
import io.stratadb.api.StrataException;
import io.stratadb.api.TableHandle;
import io.stratadb.api.Transaction;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit whose durability wait meets a fenced page log: FENCED when the backend dropped the unconfirmed record
 * (it is in no log), COMMIT_OUTCOME_UNKNOWN (08007) when the backend may have kept it (the new leader's log
 * decides); either way the node is deposed. The fencing is injected through the page-log SPI ({@link
 * FaultyPageLog#fenceSyncs}).
 */
class FencedCommitTest {
    @TempDir
    Path dir;

    /** Commits row {@code id} after the page log is fenced; returns the error and what a reopen finds. */
    private Object[] commitWhileFenced(boolean recordsKept, int id) {
        URI faulty = URI.create(
                "faulty:" + dir.resolve("pagelog").toAbsolutePath().toUri().getPath());
        StrataException failure;
        try (Engine e = StrataEngine.open(FsyncFailureTest.config(dir, faulty));
                Session s = e.openSession()) {
            TableHandle t = e.createTable(ACCOUNTS, true);
            try (Transaction before = s.begin()) {
                before.insert(t, new Object[] {1, "acknowledged", 1L});
                before.commit();
            }
            FaultyPageLogProvider.last(faulty).fenceSyncs(recordsKept);
            Transaction tx = s.begin();
            tx.insert(t, new Object[] {id, "in flight", 2L});
            failure = assertThrows(StrataException.class, tx::commit);
            StrataException after =
                    assertThrows(StrataException.class, () -> s.begin().get(t, new Object[] {1}));
            assertEquals(ErrorCode.FENCED, after.code(), "the node is deposed: " + after.getMessage());
        }
        URI plain = dir.resolve("pagelog").toAbsolutePath().toUri();
        try (Engine r = StrataEngine.open(FsyncFailureTest.config(dir, plain));
                Session s = r.openSession();
                Transaction tx = s.begin()) {
            TableHandle t = r.table("ACCOUNTS").orElseThrow();
            assertNotNull(tx.get(t, new Object[] {1}), "an acknowledged commit is lost");
            return new Object[] {failure, tx.get(t, new Object[] {id})};
        }
    }

    @Test
    void aCommitWhoseRecordTheFencedLogDroppedFailsWithFencedAndIsInNoLog() {
        Object[] r = commitWhileFenced(false, 7);
        StrataException e = (StrataException) r[0];
        assertEquals(ErrorCode.FENCED, e.code(), e.getMessage());
        assertEquals("25006", e.sqlState());
        assertNull(r[1], "the dropped commit is not in the log");
    }

    @Test
    void aCommitWhoseRecordTheFencedLogMayHaveKeptHasAnUnknownOutcome() {
        Object[] r = commitWhileFenced(true, 8);
        StrataException e = (StrataException) r[0];
        assertEquals(ErrorCode.COMMIT_OUTCOME_UNKNOWN, e.code(), e.getMessage());
        assertEquals("08007", e.sqlState());
        // here the record did reach the log, so the transaction committed although its committer got an error:
        // exactly why the error must not say "not committed"
        assertNotNull(r[1], "the kept record is replayed");
    }
}
