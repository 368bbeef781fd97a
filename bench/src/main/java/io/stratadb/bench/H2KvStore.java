package io.stratadb.bench;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.tx.Transaction;
import org.h2.mvstore.tx.TransactionMap;
import org.h2.mvstore.tx.TransactionStore;

/**
 * H2's MVStore with its {@link TransactionStore}: the same operations on a {@code Long -> String} map.
 *
 * <p>Durable mode syncs the store's file after each commit ({@code MVStore.commit()} then {@code sync()}),
 * the closest MVStore equivalent of an fsynced commit.
 *
 * <p>Thread safety: thread-safe as MVStore is.
 */
final class H2KvStore implements KvStore {
    private final MVStore store;
    private final TransactionStore txs;
    private final boolean durable;

    H2KvStore(Path file, boolean durable) {
        this(file, durable, 2048);
    }

    /** A store whose page cache is {@code cacheMb} MiB ({@code MVStore.Builder#cacheSize}). */
    H2KvStore(Path file, boolean durable, int cacheMb) {
        this.durable = durable;
        store = new MVStore.Builder()
                .fileName(file.toString())
                .cacheSize(cacheMb)
                .open();
        txs = new TransactionStore(store);
        txs.init();
    }

    @Override
    public String name() {
        return "H2 MVStore" + (durable ? " (sync)" : "");
    }

    @Override
    public void load(long n, String value) {
        for (long k = 0; k < n; k += 1000) {
            Transaction tx = txs.begin();
            TransactionMap<Long, String> m = tx.openMap("kv");
            for (long i = k; i < Math.min(n, k + 1000); i++) {
                m.put(i, value);
            }
            tx.commit();
        }
        store.commit();
    }

    @Override
    public Worker worker() {
        return new Worker() {
            @Override
            public int getBatch(long[] keys) {
                Transaction tx = txs.begin();
                TransactionMap<Long, String> m = tx.openMap("kv");
                int found = 0;
                for (long k : keys) {
                    if (m.get(k) != null) {
                        found++;
                    }
                }
                tx.commit();
                return found;
            }

            @Override
            public void insert(long key, String value) {
                Transaction tx = txs.begin();
                TransactionMap<Long, String> m = tx.openMap("kv");
                m.put(key, value);
                commit(tx);
            }

            @Override
            public void update(long key, String value) {
                while (true) {
                    Transaction tx = txs.begin();
                    try {
                        TransactionMap<Long, String> m = tx.openMap("kv");
                        m.put(key, value);
                        commit(tx);
                        return;
                    } catch (MVStoreException e) {
                        tx.rollback(); // the row is locked by a concurrent writer: retry
                    }
                }
            }

            @Override
            public int scan(long from, int n) {
                Transaction tx = txs.begin();
                TransactionMap<Long, String> m = tx.openMap("kv");
                Iterator<Map.Entry<Long, String>> it = m.entryIterator(from, null);
                int read = 0;
                while (read < n && it.hasNext()) {
                    it.next();
                    read++;
                }
                tx.commit();
                return read;
            }

            @Override
            public void close() {}
        };
    }

    private void commit(Transaction tx) {
        tx.commit();
        if (durable) {
            store.commit();
            store.sync();
        }
    }

    /** Bytes of the store file (what its cache holds a part of). */
    long fileBytes() {
        return store.getFileStore().size();
    }

    /** Bytes the MVStore page cache uses now. */
    long cacheBytes() {
        return store.getCacheSizeUsed() * 1024L * 1024L;
    }

    @Override
    public void close() {
        txs.close();
        store.close();
    }
}
