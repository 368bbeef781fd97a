package io.stratadb.sql.xa;

import static io.stratadb.sql.testing.TestDb.exec;
import static io.stratadb.sql.testing.TestDb.fails;
import static io.stratadb.sql.testing.TestDb.rows;
import static io.stratadb.sql.testing.TestDb.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arjuna.ats.internal.jta.recovery.arjunacore.XARecoveryModule;
import com.arjuna.ats.jta.recovery.XAResourceRecoveryHelper;
import jakarta.transaction.RollbackException;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionManager;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.XAConnection;
import javax.sql.XADataSource;
import javax.transaction.xa.XAResource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * StrataDB under a real transaction manager, Narayana: two-resource transactions with H2 and with a second
 * StrataDB database commit and roll back together, and a participant killed between prepare and commit is
 * committed by Narayana's recovery, exactly once.
 */
class NarayanaXaTest {
    @TempDir
    static Path store;

    @TempDir
    Path dir;

    private static TransactionManager tm;
    private final List<XAConnection> open = new ArrayList<>();

    @BeforeAll
    static void narayana() throws Exception {
        NarayanaSetup.configure(store);
        tm = NarayanaSetup.transactionManager();
    }

    @AfterEach
    void closeAll() throws Exception {
        if (tm.getStatus() != Status.STATUS_NO_TRANSACTION) {
            tm.rollback();
        }
        for (XAConnection c : open) {
            c.close();
        }
        open.clear();
    }

    private StrataXADataSource strata(String name) {
        StrataXADataSource ds = new StrataXADataSource();
        ds.setPath(dir.resolve(name).toString());
        return ds;
    }

    private XADataSource h2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:" + dir.resolve("h2") + ";DB_CLOSE_DELAY=-1");
        return ds;
    }

    private XAConnection xa(XADataSource ds) throws SQLException {
        XAConnection c = ds.getXAConnection();
        open.add(c);
        return c;
    }

    private static void setUp(XADataSource ds, String... sql) throws SQLException {
        XAConnection x = ds.getXAConnection();
        try (Connection c = x.getConnection()) {
            exec(c, sql);
        } finally {
            x.close();
        }
    }

    private static String read(XADataSource ds, String sql) throws SQLException {
        XAConnection x = ds.getXAConnection();
        try (Connection c = x.getConnection()) {
            return String.join(";", rows(c, sql));
        } finally {
            x.close();
        }
    }

    /** Moves {@code amount} from StrataDB account 1 to the other database's account 1 in one XA transaction. */
    private void transfer(XAConnection from, XAConnection to, long amount, boolean commit) throws Exception {
        // handles first, as a pool hands them out: H2 resets auto-commit on a handle opened inside a branch
        Connection f = from.getConnection();
        Connection t = to.getConnection();
        tm.begin();
        tm.getTransaction().enlistResource(from.getXAResource());
        tm.getTransaction().enlistResource(to.getXAResource());
        exec(f, "UPDATE acct SET bal = bal - " + amount + " WHERE id = 1");
        exec(t, "UPDATE acct SET bal = bal + " + amount + " WHERE id = 1");
        if (commit) {
            tm.commit();
        } else {
            tm.rollback();
        }
    }

    @Test
    void strataAndH2CommitAndRollBackTogether() throws Exception {
        StrataXADataSource s = strata("s");
        XADataSource h = h2();
        setUp(s, "CREATE TABLE acct (id INT PRIMARY KEY, bal BIGINT)", "INSERT INTO acct VALUES (1, 100)");
        setUp(h, "CREATE TABLE acct (id INT PRIMARY KEY, bal BIGINT)", "INSERT INTO acct VALUES (1, 100)");
        XAConnection sx = xa(s);
        XAConnection hx = xa(h);
        transfer(sx, hx, 30, true);
        assertEquals("70", read(s, "SELECT bal FROM acct"));
        assertEquals("130", read(h, "SELECT bal FROM acct"));
        transfer(sx, hx, 50, false);
        assertEquals("70", read(s, "SELECT bal FROM acct"));
        assertEquals("130", read(h, "SELECT bal FROM acct"));

        // StrataDB votes no (its branch lost a write conflict): H2 rolls back too
        XAConnection other = xa(s);
        Connection blocker = other.getConnection();
        blocker.setAutoCommit(false);
        exec(blocker, "UPDATE acct SET bal = 0 WHERE id = 1");
        Connection hc = hx.getConnection();
        Connection sc = sx.getConnection();
        tm.begin();
        tm.getTransaction().enlistResource(hx.getXAResource());
        tm.getTransaction().enlistResource(sx.getXAResource());
        exec(hc, "UPDATE acct SET bal = bal + 5 WHERE id = 1");
        fails(sc, "40001", "UPDATE acct SET bal = bal - 5 WHERE id = 1");
        assertThrows(RollbackException.class, tm::commit);
        blocker.rollback();
        assertEquals("70", read(s, "SELECT bal FROM acct"));
        assertEquals("130", read(h, "SELECT bal FROM acct"));
    }

    @Test
    void twoStrataDatabasesCommitAndRollBackTogether() throws Exception {
        StrataXADataSource a = strata("a");
        StrataXADataSource b = strata("b");
        for (StrataXADataSource ds : List.of(a, b)) {
            setUp(ds, "CREATE TABLE acct (id INT PRIMARY KEY, bal BIGINT)", "INSERT INTO acct VALUES (1, 100)");
        }
        XAConnection ax = xa(a);
        XAConnection bx = xa(b);
        assertEquals(false, ax.getXAResource().isSameRM(bx.getXAResource()));
        transfer(ax, bx, 25, true);
        transfer(ax, bx, 1000, false);
        assertEquals("75", read(a, "SELECT bal FROM acct"));
        assertEquals("125", read(b, "SELECT bal FROM acct"));
        // two connections to one database are one resource manager: Narayana joins them into one branch
        XAConnection ax2 = xa(a);
        tm.begin();
        tm.getTransaction().enlistResource(ax.getXAResource());
        tm.getTransaction().enlistResource(ax2.getXAResource());
        tm.getTransaction().enlistResource(bx.getXAResource());
        exec(ax.getConnection(), "INSERT INTO acct VALUES (2, 1)");
        exec(ax2.getConnection(), "INSERT INTO acct VALUES (3, 1)");
        exec(bx.getConnection(), "INSERT INTO acct VALUES (2, 1)");
        tm.commit();
        assertEquals("1;2;3", read(a, "SELECT id FROM acct ORDER BY id"));
        assertEquals("1;2", read(b, "SELECT id FROM acct ORDER BY id"));
    }

    /**
     * A second participant that, while voting, has an administrator complete StrataDB's already prepared branch
     * heuristically (as if the transaction manager had been unreachable for too long).
     */
    private static final class AdministratorDuringPrepare implements XAResource {
        private final XAResource inner;
        private final XADataSource strata;
        private final boolean commit;

        AdministratorDuringPrepare(XAResource inner, XADataSource strata, boolean commit) {
            this.inner = inner;
            this.strata = strata;
            this.commit = commit;
        }

        @Override
        public int prepare(javax.transaction.xa.Xid xid) throws javax.transaction.xa.XAException {
            try {
                XAConnection x = strata.getXAConnection();
                try (Connection c = x.getConnection()) {
                    String prepared = value(c, "SELECT xid FROM sys.transactions WHERE state = 'PREPARED'");
                    exec(c, "CALL SYS." + (commit ? "COMMIT" : "ROLLBACK") + "_PREPARED('" + prepared + "')");
                } finally {
                    x.close();
                }
            } catch (SQLException e) {
                throw new AssertionError(e);
            }
            return inner.prepare(xid);
        }

        @Override
        public void commit(javax.transaction.xa.Xid xid, boolean onePhase) throws javax.transaction.xa.XAException {
            inner.commit(xid, onePhase);
        }

        @Override
        public void end(javax.transaction.xa.Xid xid, int flags) throws javax.transaction.xa.XAException {
            inner.end(xid, flags);
        }

        @Override
        public void forget(javax.transaction.xa.Xid xid) throws javax.transaction.xa.XAException {
            inner.forget(xid);
        }

        @Override
        public int getTransactionTimeout() throws javax.transaction.xa.XAException {
            return inner.getTransactionTimeout();
        }

        @Override
        public boolean isSameRM(XAResource other) throws javax.transaction.xa.XAException {
            return other == this;
        }

        @Override
        public javax.transaction.xa.Xid[] recover(int flag) throws javax.transaction.xa.XAException {
            return inner.recover(flag);
        }

        @Override
        public void rollback(javax.transaction.xa.Xid xid) throws javax.transaction.xa.XAException {
            inner.rollback(xid);
        }

        @Override
        public boolean setTransactionTimeout(int seconds) throws javax.transaction.xa.XAException {
            return inner.setTransactionTimeout(seconds);
        }

        @Override
        public void start(javax.transaction.xa.Xid xid, int flags) throws javax.transaction.xa.XAException {
            inner.start(xid, flags);
        }
    }

    @Test
    void heuristicOutcomesReachNarayanaAndStayUntilForgotten() throws Exception {
        StrataXADataSource s = strata("heur");
        XADataSource h = h2();
        setUp(s, "CREATE TABLE acct (id INT PRIMARY KEY, bal BIGINT)");
        setUp(h, "CREATE TABLE IF NOT EXISTS heur (id INT PRIMARY KEY)");
        XAConnection sx = xa(s);
        XAConnection hx = xa(h);
        Connection sc = sx.getConnection();
        Connection hc = hx.getConnection();

        // the administrator committed, as the TM decided: Narayana's commit succeeds on XA_HEURCOM
        tm.begin();
        tm.getTransaction().enlistResource(sx.getXAResource());
        tm.getTransaction().enlistResource(new AdministratorDuringPrepare(hx.getXAResource(), s, true));
        exec(sc, "INSERT INTO acct VALUES (1, 1)");
        exec(hc, "INSERT INTO heur VALUES (1)");
        tm.commit();
        assertEquals("1", read(s, "SELECT COUNT(*) FROM acct"));
        assertEquals("1", read(h, "SELECT COUNT(*) FROM heur"));
        javax.transaction.xa.Xid[] remembered =
                sx.getXAResource().recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN);
        assertEquals(1, remembered.length, "the outcome stays listed until forget");
        assertEquals("HEURISTIC_COMMITTED", read(s, "SELECT state FROM sys.transactions WHERE xid IS NOT NULL"));
        sx.getXAResource().forget(remembered[0]);
        assertEquals(0, sx.getXAResource().recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN).length);

        // the administrator rolled back although the TM decided to commit: Narayana learns it from XA_HEURRB
        // (it then rolls back the rest, reports a rollback and forgets the outcome)
        tm.begin();
        tm.getTransaction().enlistResource(sx.getXAResource());
        tm.getTransaction().enlistResource(new AdministratorDuringPrepare(hx.getXAResource(), s, false));
        exec(sc, "INSERT INTO acct VALUES (2, 1)");
        exec(hc, "INSERT INTO heur VALUES (2)");
        Exception e = assertThrows(Exception.class, tm::commit);
        assertTrue(
                e instanceof RollbackException || e instanceof jakarta.transaction.HeuristicMixedException,
                "Narayana reports " + e);
        assertEquals("1", read(s, "SELECT COUNT(*) FROM acct"), "the branch stayed rolled back");
        assertEquals(
                0,
                sx.getXAResource().recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN).length,
                "Narayana called forget after it learned the heuristic rollback");
    }

    @Test
    void aParticipantKilledBetweenPrepareAndCommitIsCommittedByRecoveryExactlyOnce() throws Exception {
        StrataXADataSource a = strata("crash-a");
        StrataXADataSource b = strata("crash-b");
        setUp(a, "CREATE TABLE acct (id INT PRIMARY KEY, bal BIGINT)", "INSERT INTO acct VALUES (1, 100)");
        setUp(b, "CREATE TABLE ledger (id INT PRIMARY KEY, amount BIGINT)");
        List<String> cmd = List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                XaCrashChild.class.getName(),
                store.toString(),
                dir.resolve("crash-a").toString(),
                dir.resolve("crash-b").toString());
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("PREPARED")) {
                output.add(line);
            }
            assertTrue(line != null, "the child ended before the commit phase: " + output);
            child.destroyForcibly(); // SIGKILL between prepare and commit
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        XAConnection ax = xa(a);
        XAConnection bx = xa(b);
        assertEquals(1, ax.getXAResource().recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN).length);
        assertEquals(1, bx.getXAResource().recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN).length);
        XAResourceRecoveryHelper helper = new XAResourceRecoveryHelper() {
            @Override
            public boolean initialise(String p) {
                return true;
            }

            @Override
            public XAResource[] getXAResources() throws Exception {
                return new XAResource[] {xa(a).getXAResource(), xa(b).getXAResource()};
            }
        };
        XARecoveryModule module = NarayanaSetup.xaRecoveryModule();
        module.addXAResourceRecoveryHelper(helper);
        try {
            NarayanaSetup.recoveryManager().scan();
            NarayanaSetup.recoveryManager().scan();
        } finally {
            module.removeXAResourceRecoveryHelper(helper);
        }
        assertEquals(0, ax.getXAResource().recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN).length);
        assertEquals(0, bx.getXAResource().recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN).length);
        assertEquals("90", value(ax.getConnection(), "SELECT bal FROM acct WHERE id = 1"), "committed once");
        assertEquals("1,10", value(bx.getConnection(), "SELECT * FROM ledger"), "committed once");
    }
}
