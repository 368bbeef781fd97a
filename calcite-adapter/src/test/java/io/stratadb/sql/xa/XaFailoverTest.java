package io.stratadb.sql.xa;

import static io.stratadb.sql.testing.TestDb.exec;
import static io.stratadb.sql.testing.TestDb.rows;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.XAConnection;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * XA across a failover: a branch prepared on the leader is recovered and committed on the follower that takes
 * over, and a node that is not the leader answers the transaction manager with XAER_RMFAIL.
 */
class XaFailoverTest {
    @TempDir
    Path dir;

    private StrataXADataSource node(String node, String role) {
        StrataXADataSource ds = new StrataXADataSource();
        ds.setUrl("jdbc:strata:path=" + dir.resolve(node) + ";pagelog=file:" + dir.resolve("pagelog") + ";role=" + role
                + ";node=" + node);
        return ds;
    }

    private static void eventually(Connection c, String sql, List<String> want) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> got = rows(c, sql);
        while (!got.equals(want) && System.nanoTime() < deadline) {
            Thread.sleep(5);
            got = rows(c, sql);
        }
        assertEquals(want, got, sql);
    }

    @Test
    void aBranchPreparedOnTheLeaderIsCommittedOnTheNewLeader() throws Exception {
        Xid x = TestXid.of("failover");
        XAConnection leader = node("a", "leader").getXAConnection();
        XAConnection follower = node("b", "follower").getXAConnection();
        try {
            Connection lc = leader.getConnection();
            exec(lc, "CREATE TABLE acct (id INT PRIMARY KEY, bal BIGINT)", "INSERT INTO acct VALUES (1, 100)");
            XAResource lr = leader.getXAResource();
            lr.start(x, XAResource.TMNOFLAGS);
            exec(leader.getConnection(), "UPDATE acct SET bal = 60 WHERE id = 1", "INSERT INTO acct VALUES (2, 40)");
            lr.end(x, XAResource.TMSUCCESS);
            assertEquals(XAResource.XA_OK, lr.prepare(x));

            Connection fc = follower.getConnection();
            eventually(fc, "SELECT state FROM sys.transactions WHERE xid IS NOT NULL", List.of("PREPARED"));
            XAResource fr = follower.getXAResource();
            assertEquals(
                    XAException.XAER_RMFAIL,
                    assertThrows(XAException.class, () -> fr.commit(x, false)).errorCode,
                    "a follower cannot commit: the TM retries on the leader");

            SQLException refused = assertThrows(
                    SQLException.class, () -> exec(fc, "CALL SYS.COMMIT_PREPARED('" + XidCodec.toGlobal(x) + "')"));
            assertEquals("25006", refused.getSQLState(), "heuristic completion is for the leader");

            leader.close(); // the leader goes away with the branch in doubt
            exec(fc, "CALL SYS.STEP_UP()");
            Xid[] found = fr.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN);
            assertEquals(1, found.length, "the new leader lists the in-doubt branch");
            assertEquals(x.getFormatId(), found[0].getFormatId());
            assertArrayEquals(x.getGlobalTransactionId(), found[0].getGlobalTransactionId());
            assertArrayEquals(x.getBranchQualifier(), found[0].getBranchQualifier());
            fr.commit(found[0], false);
            assertEquals(0, fr.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN).length);
            assertEquals(List.of("1,60", "2,40"), rows(fc, "SELECT * FROM acct ORDER BY id"));
        } finally {
            closeQuietly(leader);
            closeQuietly(follower);
        }
    }

    private static void closeQuietly(XAConnection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // already closed
        }
    }
}
