package io.stratadb.sql.xa;

import jakarta.transaction.TransactionManager;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.XAConnection;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * The process {@link NarayanaXaTest} kills: a Narayana transaction over two StrataDB databases that stops in
 * the commit phase, after both branches are prepared and the decision is logged, and waits for SIGKILL.
 *
 * <p>Arguments: object store directory, database A path, database B path. Prints {@code PREPARED} when the first
 * commit call arrives (it never reaches the database).
 */
public final class XaCrashChild {
    private XaCrashChild() {}

    public static void main(String[] args) throws Exception {
        NarayanaSetup.configure(Path.of(args[0]));
        XAConnection a = xa(args[1]);
        XAConnection b = xa(args[2]);
        TransactionManager tm = NarayanaSetup.transactionManager();
        tm.begin();
        tm.getTransaction().enlistResource(new StopAtCommit(a.getXAResource()));
        tm.getTransaction().enlistResource(new StopAtCommit(b.getXAResource()));
        try (Connection ca = a.getConnection();
                Statement s = ca.createStatement()) {
            s.execute("UPDATE acct SET bal = bal - 10 WHERE id = 1");
        }
        try (Connection cb = b.getConnection();
                Statement s = cb.createStatement()) {
            s.execute("INSERT INTO ledger VALUES (1, 10)");
        }
        tm.commit();
        System.out.println("FAIL the commit returned");
    }

    private static XAConnection xa(String path) throws Exception {
        StrataXADataSource ds = new StrataXADataSource();
        ds.setPath(path);
        return ds.getXAConnection();
    }

    /** An XAResource that reports the commit phase and then waits to be killed. */
    private static final class StopAtCommit implements XAResource {
        private final XAResource r;

        StopAtCommit(XAResource r) {
            this.r = r;
        }

        @Override
        public void commit(Xid xid, boolean onePhase) throws XAException {
            System.out.println("PREPARED " + xid);
            System.out.flush();
            try {
                Thread.sleep(600_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new XAException(XAException.XAER_RMFAIL);
        }

        @Override
        public void end(Xid xid, int flags) throws XAException {
            r.end(xid, flags);
        }

        @Override
        public void forget(Xid xid) throws XAException {
            r.forget(xid);
        }

        @Override
        public int getTransactionTimeout() throws XAException {
            return r.getTransactionTimeout();
        }

        @Override
        public boolean isSameRM(XAResource other) throws XAException {
            return other instanceof StopAtCommit s ? r.isSameRM(s.r) : r.isSameRM(other);
        }

        @Override
        public int prepare(Xid xid) throws XAException {
            return r.prepare(xid);
        }

        @Override
        public Xid[] recover(int flag) throws XAException {
            return r.recover(flag);
        }

        @Override
        public void rollback(Xid xid) throws XAException {
            r.rollback(xid);
        }

        @Override
        public boolean setTransactionTimeout(int seconds) throws XAException {
            return r.setTransactionTimeout(seconds);
        }

        @Override
        public void start(Xid xid, int flags) throws XAException {
            r.start(xid, flags);
        }
    }
}
