package io.stratadb.bench;

/**
 * The key-value operations a benchmark workload runs, implemented once per engine under test.
 *
 * <p>Keys are longs, values strings of about 100 characters. Each method is one whole transaction unless it
 * says otherwise.
 *
 * <p>Thread safety: implementations are thread-safe; each thread gets its own {@link Worker}.
 */
interface KvStore extends AutoCloseable {
    /** Short name for the report. */
    String name();

    /** Loads keys {@code [0, n)} in batches. */
    void load(long n, String value);

    /** A per-thread handle: each engine keeps its session (or equivalent) here. */
    Worker worker();

    @Override
    void close();

    /** One thread's access to the store. */
    interface Worker extends AutoCloseable {
        /** Reads {@code keys.length} keys in one read transaction; returns how many were found. */
        int getBatch(long[] keys);

        /** Inserts one new row and commits. */
        void insert(long key, String value);

        /** Updates one existing row and commits. */
        void update(long key, String value);

        /** Reads {@code n} rows in key order from {@code from} in one read transaction; returns rows read. */
        int scan(long from, int n);

        @Override
        void close();
    }
}
