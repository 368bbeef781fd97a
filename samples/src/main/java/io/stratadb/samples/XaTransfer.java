package io.stratadb.samples;

import com.arjuna.ats.arjuna.common.ObjectStoreEnvironmentBean;
import com.arjuna.ats.arjuna.common.arjPropertyManager;
import com.arjuna.ats.jta.common.jtaPropertyManager;
import com.arjuna.common.internal.util.propertyservice.BeanPopulator;
import io.stratadb.sql.xa.StrataXADataSource;
import jakarta.transaction.TransactionManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.XAConnection;
import javax.sql.XADataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * Moves money from an account in StrataDB to an account in H2 in one XA transaction under the Narayana
 * transaction manager: both databases change, or neither does.
 *
 * <p>Runs in {@code ./strata-xa-sample} (or the directory given as the first argument): the StrataDB database
 * in {@code strata/}, the H2 database in {@code h2}, Narayana's transaction log in {@code narayana/}. Every run
 * moves 30 from Alice (StrataDB) to Bob (H2), then tries to move more than Alice has and rolls back.
 */
public final class XaTransfer {
    private XaTransfer() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "strata-xa-sample").toAbsolutePath();
        Files.createDirectories(dir);
        configureNarayana(dir.resolve("narayana"));
        TransactionManager tm = com.arjuna.ats.jta.TransactionManager.transactionManager();

        StrataXADataSource strata = new StrataXADataSource();
        strata.setPath(dir.resolve("strata").toString());
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:" + dir.resolve("h2"));
        createAccount(strata, "Alice", 100);
        createAccount(h2, "Bob", 0);
        System.out.println("Before:         " + balances(strata, h2));

        XAConnection from = strata.getXAConnection();
        XAConnection to = h2.getXAConnection();
        try {
            transfer(tm, from, to, 30);
            System.out.println("After 30:       " + balances(strata, h2));
            transfer(tm, from, to, 1_000_000);
            System.out.println("After 1000000:  " + balances(strata, h2) + " (rolled back in both)");
        } finally {
            from.close();
            to.close();
        }
    }

    private static void configureNarayana(Path store) throws Exception {
        arjPropertyManager.getCoreEnvironmentBean().setNodeIdentifier("strata-xa-sample");
        jtaPropertyManager.getJTAEnvironmentBean().setXaRecoveryNodes(List.of("strata-xa-sample"));
        for (String name : List.of("default", "communicationStore", "stateStore")) {
            BeanPopulator.getNamedInstance(ObjectStoreEnvironmentBean.class, name)
                    .setObjectStoreDir(store.toString());
        }
        BeanPopulator.getDefaultInstance(ObjectStoreEnvironmentBean.class).setObjectStoreDir(store.toString());
    }

    /** One XA transaction: debit in StrataDB, credit in H2; rolled back if Alice's balance would go negative. */
    private static void transfer(TransactionManager tm, XAConnection from, XAConnection to, long amount)
            throws Exception {
        Connection debit = from.getConnection();
        Connection credit = to.getConnection();
        tm.begin();
        try {
            tm.getTransaction().enlistResource(from.getXAResource());
            tm.getTransaction().enlistResource(to.getXAResource());
            update(debit, "UPDATE accounts SET balance = balance - ? WHERE owner = 'Alice'", amount);
            update(credit, "UPDATE accounts SET balance = balance + ? WHERE owner = 'Bob'", amount);
            if (balance(debit, "Alice") < 0) {
                System.out.println("Alice cannot pay " + amount + ": rolling back both databases");
                tm.rollback();
                return;
            }
            tm.commit(); // Narayana prepares StrataDB and H2, logs its decision, then commits both
        } catch (Exception e) {
            if (tm.getTransaction() != null) {
                tm.rollback();
            }
            throw e;
        } finally {
            debit.close();
            credit.close();
        }
    }

    private static void createAccount(XADataSource ds, String owner, long balance) throws SQLException {
        XAConnection x = ds.getXAConnection();
        try (Connection c = x.getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS accounts (owner VARCHAR(20) PRIMARY KEY, balance BIGINT)");
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM accounts WHERE owner = '" + owner + "'")) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    s.execute("INSERT INTO accounts VALUES ('" + owner + "', " + balance + ")");
                }
            }
        } finally {
            x.close();
        }
    }

    private static void update(Connection c, String sql, long amount) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setLong(1, amount);
            p.executeUpdate();
        }
    }

    private static long balance(Connection c, String owner) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT balance FROM accounts WHERE owner = ?")) {
            p.setString(1, owner);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String balances(XADataSource strata, XADataSource h2) throws SQLException {
        XAConnection a = strata.getXAConnection();
        XAConnection b = h2.getXAConnection();
        try (Connection ca = a.getConnection();
                Connection cb = b.getConnection()) {
            long alice = balance(ca, "Alice");
            long bob = balance(cb, "Bob");
            return "Alice (StrataDB) " + alice + ", Bob (H2) " + bob + ", total " + (alice + bob);
        } finally {
            a.close();
            b.close();
        }
    }
}
