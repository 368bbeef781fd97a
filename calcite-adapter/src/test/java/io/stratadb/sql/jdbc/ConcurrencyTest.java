package io.stratadb.sql.jdbc;

import static io.stratadb.sql.testing.TestDb.exec;
import static io.stratadb.sql.testing.TestDb.value;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stratadb.sql.testing.TestDb;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Several threads, each with its own connection to one database: no lost updates, no lost inserts. */
class ConcurrencyTest {
    private static final int THREADS = 4;
    private static final int OPS = 50;

    @Test
    void concurrentIncrementsRetryOnConflictAndNoneIsLost() throws Exception {
        TestDb.assumeEngine();
        String url = TestDb.newUrl();
        try (Connection setup = DriverManager.getConnection(url)) {
            exec(setup, "CREATE TABLE ctr (id INT PRIMARY KEY, n BIGINT NOT NULL)", "INSERT INTO ctr VALUES (1, 0)");
            exec(setup, "CREATE TABLE log (t INT, i INT, PRIMARY KEY (t, i))");
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<Integer>> retries = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                retries.add(pool.submit(() -> work(url, thread)));
            }
            int totalRetries = 0;
            for (Future<Integer> f : retries) {
                totalRetries += f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertEquals(
                    String.valueOf(THREADS * OPS),
                    value(setup, "SELECT n FROM ctr WHERE id = 1"),
                    "every increment counted once (" + totalRetries + " retries after 40001)");
            assertEquals(String.valueOf(THREADS * OPS), value(setup, "SELECT COUNT(*) FROM log"));
        }
    }

    /** Increments the counter OPS times (retrying conflicts) and logs each; returns the number of retries. */
    private static int work(String url, int thread) throws SQLException {
        int retries = 0;
        try (Connection c = DriverManager.getConnection(url);
                PreparedStatement inc = c.prepareStatement("UPDATE ctr SET n = n + 1 WHERE id = 1");
                PreparedStatement log = c.prepareStatement("INSERT INTO log VALUES (?, ?)")) {
            c.setAutoCommit(false);
            for (int i = 0; i < OPS; i++) {
                while (true) {
                    try {
                        inc.executeUpdate();
                        log.setInt(1, thread);
                        log.setInt(2, i);
                        log.executeUpdate();
                        c.commit();
                        break;
                    } catch (SQLException e) {
                        if (!"40001".equals(e.getSQLState())) {
                            throw e;
                        }
                        c.rollback();
                        retries++;
                    }
                }
            }
        }
        return retries;
    }
}
