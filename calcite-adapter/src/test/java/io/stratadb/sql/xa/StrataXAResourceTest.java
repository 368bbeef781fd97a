package io.stratadb.sql.xa;

import static io.stratadb.sql.testing.TestDb.exec;
import static io.stratadb.sql.testing.TestDb.fails;
import static io.stratadb.sql.testing.TestDb.rows;
import static io.stratadb.sql.testing.TestDb.value;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.sql.jdbc.ConnectionSession;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.XAConnection;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** The XA protocol on StrataDB, driven directly (no transaction manager): states, errors, recovery, heuristics. */
class StrataXAResourceTest {
    @TempDir
    Path dir;

    private final List<XAConnection> open = new ArrayList<>();

    private StrataXADataSource ds() {
        StrataXADataSource ds = new StrataXADataSource();
        ds.setPath(dir.resolve("db").toString());
        return ds;
    }

    private XAConnection xa() throws SQLException {
        XAConnection c = ds().getXAConnection();
        open.add(c);
        return c;
    }

    private Connection plain() throws SQLException {
        XAConnection c = xa();
        return c.getConnection();
    }

    @BeforeEach
    void schema() throws SQLException {
        try (Connection c = ds().getConnection()) {
            exec(c, "CREATE TABLE acct (id INT PRIMARY KEY, bal BIGINT)", "INSERT INTO acct VALUES (1, 100)");
        }
    }

    @AfterEach
    void closeAll() throws SQLException {
        for (XAConnection c : open) {
            c.close();
        }
        open.clear();
    }

    /** Closes every connection, so that the engine closes and releases the directory (a restart). */
    private void restart() throws SQLException {
        closeAll();
    }

    private static int xaCode(Executable e) {
        return assertThrows(XAException.class, e).errorCode;
    }

    private static List<Xid> recovered(XAResource r) throws XAException {
        return Arrays.asList(r.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN));
    }

    /** Starts {@code x} on {@code c}, runs the statements in it and ends it with TMSUCCESS. */
    private static void branch(XAConnection c, Xid x, String... sql) throws Exception {
        XAResource r = c.getXAResource();
        r.start(x, XAResource.TMNOFLAGS);
        exec(c.getConnection(), sql);
        r.end(x, XAResource.TMSUCCESS);
    }

    @Test
    void twoPhaseCommitShowsThePreparedBranchAndCommitsIt() throws Exception {
        XAConnection c = xa();
        Xid x = TestXid.of("2pc");
        branch(c, x, "INSERT INTO acct VALUES (2, 50)", "UPDATE acct SET bal = 90 WHERE id = 1");
        assertEquals(XAResource.XA_OK, c.getXAResource().prepare(x));
        Connection other = plain();
        assertEquals(
                "PREPARED," + new StrataXid(4711, "2pc".getBytes(UTF_8), "b1".getBytes(UTF_8)),
                value(other, "SELECT state, xid FROM sys.transactions WHERE state = 'PREPARED'"));
        assertTrue(
                Long.parseLong(value(other, "SELECT prepare_timestamp FROM sys.transactions")) > 0,
                "the prepare timestamp is shown");
        fails(other, "40001", "SELECT bal FROM acct WHERE id = 1"); // a reader of a prepared key
        c.getXAResource().commit(x, false);
        assertEquals(List.of("1,90", "2,50"), rows(other, "SELECT * FROM acct ORDER BY id"));
        assertEquals(List.of(), recovered(c.getXAResource()));
    }

    @Test
    void aBranchThatWroteNothingVotesReadOnlyAndIsGone() throws Exception {
        XAConnection c = xa();
        Xid x = TestXid.of("ro");
        branch(c, x, "SELECT * FROM acct");
        assertEquals(XAResource.XA_RDONLY, c.getXAResource().prepare(x));
        assertEquals(XAException.XAER_NOTA, xaCode(() -> c.getXAResource().commit(x, false)));
        assertEquals(List.of(), recovered(c.getXAResource()));
    }

    @Test
    void onePhaseCommitAndRollbackOfUnpreparedBranches() throws Exception {
        XAConnection c = xa();
        Xid a = TestXid.of("one-phase");
        branch(c, a, "INSERT INTO acct VALUES (3, 30)");
        c.getXAResource().commit(a, true);
        Xid b = TestXid.of("rolled-back");
        branch(c, b, "INSERT INTO acct VALUES (4, 40)");
        c.getXAResource().rollback(b);
        assertEquals(List.of("1", "3"), rows(plain(), "SELECT id FROM acct ORDER BY id"));
        // after the branch ends, the connection works locally again
        Connection h = c.getConnection();
        exec(h, "INSERT INTO acct VALUES (5, 50)");
        assertEquals("3", value(plain(), "SELECT COUNT(*) FROM acct"));
    }

    @Test
    void rollingBackAPreparedInsertLeavesTheKeyAbsentAndInsertable() throws Exception {
        XAConnection c = xa();
        Xid x = TestXid.of("seed-004");
        branch(c, x, "INSERT INTO acct VALUES (7, 70)");
        assertEquals(XAResource.XA_OK, c.getXAResource().prepare(x));
        c.getXAResource().rollback(x);
        Connection other = plain();
        assertEquals("0", value(other, "SELECT COUNT(*) FROM acct WHERE id = 7"));
        exec(other, "INSERT INTO acct VALUES (7, 71)");
        assertEquals("71", value(other, "SELECT bal FROM acct WHERE id = 7"));
    }

    @Test
    void recoverListsPreparedXidsOnANewConnectionAndAfterARestart() throws Exception {
        Xid a = TestXid.of("in-doubt-a");
        Xid b = new TestXid(1, "in-doubt-b", "");
        XAConnection c = xa();
        branch(c, a, "INSERT INTO acct VALUES (10, 1)");
        branch(c, b, "INSERT INTO acct VALUES (11, 1)");
        Xid committed = TestXid.of("committed");
        branch(c, committed, "INSERT INTO acct VALUES (12, 1)");
        c.getXAResource().prepare(a);
        c.getXAResource().prepare(b);
        c.getXAResource().prepare(committed);
        c.getXAResource().commit(committed, false);
        XAResource fresh = xa().getXAResource();
        assertEquals(sorted(List.of(a, b)), sorted(recovered(fresh)), "a new connection that never saw the branches");
        restart();
        XAResource afterRestart = xa().getXAResource();
        List<Xid> found = recovered(afterRestart);
        assertEquals(2, found.size(), "prepared, never committed ones: " + found);
        for (Xid f : found) {
            assertTrue(f.equals(new StrataXid(f.getFormatId(), f.getGlobalTransactionId(), f.getBranchQualifier())));
        }
        assertEquals(
                sorted(List.of(new StrataXid(4711, "in-doubt-a".getBytes(UTF_8), "b1".getBytes(UTF_8)), b)),
                sorted(found));
        Xid back =
                found.stream().filter(f -> f.getFormatId() == 4711).findFirst().orElseThrow();
        assertArrayEquals(a.getGlobalTransactionId(), back.getGlobalTransactionId());
        assertArrayEquals(a.getBranchQualifier(), back.getBranchQualifier());
        assertEquals(0, afterRestart.recover(XAResource.TMENDRSCAN).length, "the scan ended at its start");
        afterRestart.commit(a, false);
        afterRestart.rollback(b);
        assertEquals(List.of(), recovered(afterRestart));
        assertEquals(List.of("1", "10", "12"), rows(plain(), "SELECT id FROM acct ORDER BY id"));
    }

    private static List<Xid> sorted(List<Xid> xids) {
        List<Xid> out = new ArrayList<>();
        for (Xid x : xids) {
            out.add(new StrataXid(x.getFormatId(), x.getGlobalTransactionId(), x.getBranchQualifier()));
        }
        out.sort((p, q) -> p.toString().compareTo(q.toString()));
        return out;
    }

    @Test
    void protocolErrorsHaveTheSpecifiedCodes() throws Exception {
        XAConnection c = xa();
        XAResource r = c.getXAResource();
        Xid x = TestXid.of("proto");
        assertEquals(XAException.XAER_PROTO, xaCode(() -> r.end(x, XAResource.TMSUCCESS)));
        assertEquals(XAException.XAER_NOTA, xaCode(() -> r.prepare(x)));
        assertEquals(XAException.XAER_NOTA, xaCode(() -> r.commit(x, false)));
        assertEquals(XAException.XAER_NOTA, xaCode(() -> r.rollback(x)));
        assertEquals(XAException.XAER_NOTA, xaCode(() -> r.forget(x)));
        assertEquals(XAException.XAER_NOTA, xaCode(() -> r.start(x, XAResource.TMJOIN)));
        assertEquals(XAException.XAER_INVAL, xaCode(() -> r.start(x, XAResource.TMSUCCESS)));
        assertEquals(XAException.XAER_INVAL, xaCode(() -> r.start(null, XAResource.TMNOFLAGS)));
        assertEquals(XAException.XAER_INVAL, xaCode(() -> r.recover(XAResource.TMJOIN)));
        r.start(x, XAResource.TMNOFLAGS);
        assertEquals(XAException.XAER_PROTO, xaCode(() -> r.start(TestXid.of("other"), XAResource.TMNOFLAGS)));
        assertEquals(XAException.XAER_DUPID, xaCode(() -> xa().getXAResource().start(x, XAResource.TMNOFLAGS)));
        Connection h = c.getConnection();
        exec(h, "INSERT INTO acct VALUES (20, 1)");
        assertEquals("25000", assertThrows(SQLException.class, h::commit).getSQLState());
        assertEquals("25000", assertThrows(SQLException.class, h::rollback).getSQLState());
        assertEquals(XAException.XAER_PROTO, xaCode(() -> r.prepare(x)), "still associated");
        r.end(x, XAResource.TMSUCCESS);
        assertEquals(XAException.XAER_PROTO, xaCode(() -> r.commit(x, false)), "two-phase commit unprepared");
        r.prepare(x);
        assertEquals(XAException.XAER_PROTO, xaCode(() -> r.commit(x, true)), "one-phase commit of a prepared");
        assertEquals(XAException.XAER_PROTO, xaCode(() -> r.prepare(x)), "prepared twice");
        assertEquals(XAException.XAER_DUPID, xaCode(() -> r.start(x, XAResource.TMNOFLAGS)));
        r.commit(x, false);
    }

    @Test
    void suspendResumeAndJoinShareOneBranch() throws Exception {
        XAConnection c1 = xa();
        XAConnection c2 = xa();
        XAResource r1 = c1.getXAResource();
        XAResource r2 = c2.getXAResource();
        assertTrue(r1.isSameRM(r2), "two connections to one database are one resource manager");
        Xid x = TestXid.of("join");
        r1.start(x, XAResource.TMNOFLAGS);
        exec(c1.getConnection(), "INSERT INTO acct VALUES (30, 1)");
        r1.end(x, XAResource.TMSUSPEND);
        assertEquals(XAException.XAER_PROTO, xaCode(() -> r2.start(x, XAResource.TMJOIN)), "suspended: resume");
        r1.start(x, XAResource.TMRESUME);
        exec(c1.getConnection(), "INSERT INTO acct VALUES (31, 1)");
        r2.start(x, XAResource.TMJOIN);
        exec(c2.getConnection(), "INSERT INTO acct VALUES (32, 1)");
        r2.end(x, XAResource.TMSUCCESS);
        r1.end(x, XAResource.TMSUCCESS);
        assertEquals(XAResource.XA_OK, r2.prepare(x));
        r1.commit(x, false);
        assertEquals("3", value(plain(), "SELECT COUNT(*) FROM acct WHERE id >= 30"));
        StrataXADataSource elsewhere = new StrataXADataSource();
        elsewhere.setPath(dir.resolve("other").toString());
        XAConnection o = elsewhere.getXAConnection();
        open.add(o);
        assertFalse(r1.isSameRM(o.getXAResource()), "another database is another resource manager");
    }

    @Test
    void endWithFailAndConflictsRollTheBranchBack() throws Exception {
        XAConnection c = xa();
        XAResource r = c.getXAResource();
        Xid x = TestXid.of("fail");
        r.start(x, XAResource.TMNOFLAGS);
        exec(c.getConnection(), "INSERT INTO acct VALUES (40, 1)");
        r.end(x, XAResource.TMFAIL);
        assertEquals(XAException.XA_RBROLLBACK, xaCode(() -> r.prepare(x)));
        assertEquals("0", value(plain(), "SELECT COUNT(*) FROM acct WHERE id = 40"));

        Xid first = TestXid.of("first");
        Xid second = TestXid.of("second");
        branch(c, first, "UPDATE acct SET bal = 1 WHERE id = 1");
        XAConnection c2 = xa();
        XAResource r2 = c2.getXAResource();
        r2.start(second, XAResource.TMNOFLAGS);
        fails(c2.getConnection(), "40001", "UPDATE acct SET bal = 2 WHERE id = 1");
        assertEquals(XAException.XA_RBROLLBACK, xaCode(() -> r2.end(second, XAResource.TMSUCCESS)));
        r2.rollback(second);
        r.prepare(first);
        r.commit(first, false);
        assertEquals("1", value(plain(), "SELECT bal FROM acct WHERE id = 1"));
    }

    @Test
    void aBranchPastItsTimeoutIsRolledBack() throws Exception {
        XAConnection c = xa();
        AtomicLong now = new AtomicLong(1_000);
        StrataXAResource r = new StrataXAResource(ConnectionSession.of(c.getConnection()), now::get);
        assertTrue(r.setTransactionTimeout(2));
        assertEquals(2, r.getTransactionTimeout());
        assertEquals(XAException.XAER_INVAL, xaCode(() -> r.setTransactionTimeout(-1)));
        Xid x = TestXid.of("slow");
        r.start(x, XAResource.TMNOFLAGS);
        exec(c.getConnection(), "INSERT INTO acct VALUES (50, 1)");
        r.end(x, XAResource.TMSUCCESS);
        now.addAndGet(2_001);
        assertEquals(XAException.XA_RBTIMEOUT, xaCode(() -> r.prepare(x)));
        assertEquals("0", value(plain(), "SELECT COUNT(*) FROM acct WHERE id = 50"));
        Xid y = TestXid.of("in-time");
        r.start(y, XAResource.TMNOFLAGS);
        exec(c.getConnection(), "INSERT INTO acct VALUES (51, 1)");
        r.end(y, XAResource.TMSUCCESS);
        now.addAndGet(1_000);
        assertEquals(XAResource.XA_OK, r.prepare(y), "prepared in time: the timeout no longer applies");
        now.addAndGet(10_000);
        r.commit(y, false);
        assertEquals("1", value(plain(), "SELECT COUNT(*) FROM acct WHERE id = 51"));
        // a branch abandoned before prepare (its transaction manager died) is rolled back by a recovery scan
        Xid z = TestXid.of("abandoned");
        r.start(z, XAResource.TMNOFLAGS);
        exec(c.getConnection(), "UPDATE acct SET bal = 0 WHERE id = 1");
        r.end(z, XAResource.TMSUCCESS);
        now.addAndGet(2_001);
        assertEquals(0, r.recover(XAResource.TMSTARTRSCAN).length);
        exec(plain(), "UPDATE acct SET bal = 5 WHERE id = 1"); // no write conflict: the branch let go of the key
        assertEquals(XAException.XA_RBTIMEOUT, xaCode(() -> r.prepare(z)));
        assertEquals("5", value(plain(), "SELECT bal FROM acct WHERE id = 1"));
    }

    @Test
    void heuristicOutcomesAreReportedAndRememberedUntilForget() throws Exception {
        XAConnection c = xa();
        XAResource r = c.getXAResource();
        Xid hc = TestXid.of("heur-commit");
        Xid hr = TestXid.of("heur-rollback");
        branch(c, hc, "INSERT INTO acct VALUES (60, 1)");
        branch(c, hr, "INSERT INTO acct VALUES (61, 1)");
        r.prepare(hc);
        r.prepare(hr);
        Connection admin = plain();
        exec(admin, "CALL SYS.COMMIT_PREPARED('" + XidCodec.toGlobal(hc) + "')");
        exec(admin, "CALL SYS.ROLLBACK_PREPARED('" + XidCodec.toGlobal(hr) + "')");
        fails(admin, "22023", "CALL SYS.COMMIT_PREPARED('not an xid')");
        fails(admin, "42704", "CALL SYS.COMMIT_PREPARED('" + XidCodec.toGlobal(hc) + "')");
        assertEquals(
                List.of("HEURISTIC_COMMITTED", "HEURISTIC_ROLLED_BACK"),
                rows(admin, "SELECT state FROM sys.transactions ORDER BY state"));
        assertEquals("1", value(admin, "SELECT COUNT(*) FROM acct WHERE id IN (60, 61)"));
        assertEquals(XAException.XA_HEURCOM, xaCode(() -> r.commit(hc, false)));
        assertEquals(XAException.XA_HEURCOM, xaCode(() -> r.rollback(hc)));
        assertEquals(XAException.XA_HEURRB, xaCode(() -> r.commit(hr, false)));
        restart();
        XAResource r2 = xa().getXAResource();
        assertEquals(sorted(List.of(hc, hr)), sorted(recovered(r2)), "remembered across a restart");
        xa().getConnection().unwrap(io.stratadb.sql.jdbc.StrataConnection.class).checkpoint();
        r2.forget(hc);
        assertEquals(XAException.XAER_NOTA, xaCode(() -> r2.forget(hc)));
        exec(plain(), "CALL SYS.FORGET_HEURISTIC('" + XidCodec.toGlobal(hr) + "')");
        assertEquals(List.of(), recovered(r2));
        assertEquals(XAException.XAER_NOTA, xaCode(() -> r2.commit(hc, false)));
    }

    @Test
    void aClosedConnectionIsAResourceManagerFailure() throws Exception {
        XAConnection c = xa();
        XAResource r = c.getXAResource();
        Connection h = c.getConnection();
        c.close();
        assertTrue(h.isClosed());
        assertEquals(XAException.XAER_RMFAIL, xaCode(() -> r.recover(XAResource.TMSTARTRSCAN)));
        assertEquals(XAException.XAER_RMFAIL, xaCode(() -> r.start(TestXid.of("late"), XAResource.TMNOFLAGS)));
        assertThrows(SQLException.class, c::getConnection);
    }

    @Test
    void aNewHandleClosesTheOldOneAndRollsBackLocalWork() throws Exception {
        XAConnection c = xa();
        Connection h1 = c.getConnection();
        h1.setAutoCommit(false);
        exec(h1, "INSERT INTO acct VALUES (70, 1)");
        h1.close();
        assertEquals("0", value(plain(), "SELECT COUNT(*) FROM acct WHERE id = 70"));
        Connection h2 = c.getConnection();
        Connection h3 = c.getConnection();
        assertTrue(h2.isClosed());
        assertEquals(
                "08003", assertThrows(SQLException.class, h2::createStatement).getSQLState());
        assertTrue(h3.getAutoCommit());
    }
}
