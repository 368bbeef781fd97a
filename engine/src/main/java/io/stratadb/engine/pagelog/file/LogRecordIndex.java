package io.stratadb.engine.pagelog.file;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * An index from commit-log record LSN to where the record's frame is stored, kept in primitive arrays: chunks of
 * up to {@link #CHUNK} entries (LSN, location, payload size, record type; 24 bytes an entry, no object per
 * record), appended in LSN order and dropped whole (or trimmed) at a reclaim.
 *
 * <p>It replaces a concurrent skip-list map from boxed LSN to a location record, whose ~90 bytes of objects per
 * record, kept until a reclaim, made young collections slower with every commit. It keeps that map's semantics for the
 * operations the page log uses: {@link #put} adds or replaces the entry of an LSN, {@link #forEachAfter} visits
 * the entries above an LSN in LSN order, {@link #removeUpTo} drops the entries at or below one.
 *
 * <p>Layout: {@code chunks} is an immutable array of chunks ordered by LSN (every LSN of a chunk is above every
 * LSN of the chunks before it); only the last chunk takes appends. A chunk's slots below its {@code count} are
 * filled; a chunk never shrinks. Three writes happen:
 *
 * <ol>
 *   <li><b>append</b> (an LSN above every indexed one, the common case: the writer's LSNs only grow): fill slot
 *       {@code count} of the last chunk, then publish it by raising {@code count}; a full (or absent) last chunk
 *       is replaced by appending a new one that already holds the entry, in a copied {@code chunks} array;
 *   <li><b>relocate</b> (a reclaim's copy of a record already indexed, same LSN and bytes at a new location):
 *       only the location slot changes, written atomically;
 *   <li><b>rebuild</b> (an LSN that falls between indexed ones, and {@link #removeUpTo}): new chunks are built
 *       aside and published by one write of {@code chunks}; the old chunks are never changed.
 * </ol>
 *
 * <p>Invariants: (1) the LSNs across {@code chunks} strictly increase; (2) no chunk in {@code chunks} is empty;
 * (3) a slot below a chunk's {@code count} is never rewritten except its location (relocate); (4) memory is
 * proportional to the live entries plus at most one partly filled chunk per reclaim boundary.
 *
 * <p>Thread safety: one writer at a time (the page log's lock serializes {@link #put} and {@link #removeUpTo});
 * any number of lock-free readers. Memory visibility: the writer stores a slot's fields with plain writes and
 * then stores {@code count} (volatile), or stores a new {@code chunks} array (volatile) whose chunks were filled
 * before; a reader loads {@code chunks} (volatile) and then a chunk's {@code count} (volatile) before reading
 * slots below it, so by the happens-before edge of each volatile write/read pair it sees the slot fields as
 * written. The one later write to a published slot, its location, goes through a {@link VarHandle} with
 * release/acquire access, which is atomic for a {@code long} even where plain ones are not; either the old or
 * the new location holds the same record, and a read of a deleted old segment is retried by the page log. A
 * reader working from a snapshot of {@code chunks} taken before a rebuild or reclaim sees the state at that
 * snapshot plus later appends to the chunks it holds: the same weak consistency as a concurrent map's iterator.
 */
final class LogRecordIndex {
    /** Entries per chunk: 48 KiB of arrays, small enough never to be a humongous G1 allocation. */
    static final int CHUNK = 2048;

    private static final VarHandle LOCATION = MethodHandles.arrayElementVarHandle(long[].class);
    private static final Chunk[] NONE = new Chunk[0];

    private volatile Chunk[] chunks = NONE;

    /** The location of one indexed record, as read. */
    record Entry(long lsn, int type, int size, long location) {}

    /**
     * Adds the record {@code lsn} stored at {@code location}, or moves it there if it is indexed already (a copy
     * of a record has its type and size, so only the location is replaced).
     */
    void put(long lsn, int type, int size, long location) {
        Chunk[] cs = chunks;
        @Nullable Chunk last = cs.length == 0 ? null : cs[cs.length - 1];
        if (last == null || lsn > last.lastLsn()) {
            append(cs, last, lsn, type, size, location);
            return;
        }
        int c = chunkFor(cs, lsn);
        if (c >= 0) {
            Chunk ch = cs[c];
            int i = Arrays.binarySearch(ch.lsns, 0, ch.count, lsn);
            if (i >= 0) {
                LOCATION.setRelease(ch.locations, i, location);
                return;
            }
        }
        insert(cs, lsn, type, size, location);
    }

    /** Visits the entries with an LSN above {@code afterLsn} in LSN order while {@code visit} returns true. */
    void forEachAfter(long afterLsn, Visitor visit) {
        Chunk[] cs = chunks;
        int c = Math.max(0, chunkFor(cs, afterLsn));
        for (; c < cs.length; c++) {
            Chunk ch = cs[c];
            int n = ch.count;
            int i = Arrays.binarySearch(ch.lsns, 0, n, afterLsn);
            i = i >= 0 ? i + 1 : -i - 1;
            for (; i < n; i++) {
                if (!visit.visit(ch.lsns[i], ch.types[i], ch.sizes[i], (long) LOCATION.getAcquire(ch.locations, i))) {
                    return;
                }
            }
        }
    }

    /** Visits every entry in LSN order. */
    void forEach(Consumer<Entry> visit) {
        forEachAfter(Long.MIN_VALUE, (lsn, type, size, location) -> {
            visit.accept(new Entry(lsn, type, size, location));
            return true;
        });
    }

    /** Drops the entries with an LSN at or below {@code lsn}. */
    void removeUpTo(long lsn) {
        Chunk[] cs = chunks;
        int c = chunkFor(cs, lsn);
        if (c < 0) {
            return; // everything is above it
        }
        Chunk boundary = cs[c];
        int n = boundary.count;
        int i = Arrays.binarySearch(boundary.lsns, 0, n, lsn);
        int keepFrom = i >= 0 ? i + 1 : -i - 1;
        Chunk[] out;
        if (keepFrom == n) {
            out = Arrays.copyOfRange(cs, c + 1, cs.length);
        } else {
            out = Arrays.copyOfRange(cs, c, cs.length);
            // the last chunk keeps room for appends; an earlier one is sized to what it keeps
            out[0] = boundary.copy(keepFrom, n, c == cs.length - 1 ? CHUNK : n - keepFrom);
        }
        chunks = out;
    }

    /** How many entries are indexed (counts chunk by chunk: not atomic under concurrent writes). */
    long size() {
        long n = 0;
        for (Chunk ch : chunks) {
            n += ch.count;
        }
        return n;
    }

    /** How many chunks hold the entries (for tests of memory use). */
    int chunkCount() {
        return chunks.length;
    }

    private void append(Chunk[] cs, @Nullable Chunk last, long lsn, int type, int size, long location) {
        if (last != null) {
            int n = last.count;
            if (n < last.lsns.length) {
                last.set(n, lsn, type, size, location);
                last.count = n + 1; // publishes the slot
                return;
            }
        }
        Chunk fresh = new Chunk(CHUNK);
        fresh.set(0, lsn, type, size, location);
        fresh.count = 1;
        Chunk[] out = Arrays.copyOf(cs, cs.length + 1);
        out[cs.length] = fresh;
        chunks = out;
    }

    /** Inserts an LSN that falls between indexed ones: rare (never in a log written in order), so it rebuilds. */
    private void insert(Chunk[] cs, long lsn, int type, int size, long location) {
        int c = Math.max(0, chunkFor(cs, lsn));
        Chunk old = cs[c];
        int n = old.count;
        int at = -Arrays.binarySearch(old.lsns, 0, n, lsn) - 1;
        Chunk grown = new Chunk(n + 1);
        grown.copyFrom(old, 0, at, 0);
        grown.set(at, lsn, type, size, location);
        grown.copyFrom(old, at, n, at + 1);
        grown.count = n + 1;
        Chunk[] out = cs.clone();
        out[c] = grown;
        chunks = out; // a chunk may hold more than CHUNK entries after this; appends then start a new chunk
    }

    /** The index of the last chunk whose first LSN is at or below {@code lsn}, or -1 if there is none. */
    private static int chunkFor(Chunk[] cs, long lsn) {
        int lo = 0;
        int hi = cs.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (cs[mid].lsns[0] <= lsn) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** Receives one entry; returns false to stop. */
    @FunctionalInterface
    interface Visitor {
        boolean visit(long lsn, int type, int size, long location);
    }

    /**
     * A run of consecutive entries in parallel arrays.
     *
     * <p>Invariants: slots below {@code count} are filled, in increasing LSN order; {@code count} only grows.
     *
     * <p>Thread safety: see the enclosing class.
     */
    private static final class Chunk {
        final long[] lsns;
        final long[] locations;
        final int[] sizes;
        final int[] types;
        volatile int count;

        Chunk(int capacity) {
            lsns = new long[capacity];
            locations = new long[capacity];
            sizes = new int[capacity];
            types = new int[capacity];
        }

        long lastLsn() {
            return lsns[count - 1];
        }

        void set(int i, long lsn, int type, int size, long location) {
            lsns[i] = lsn;
            types[i] = type;
            sizes[i] = size;
            locations[i] = location;
        }

        void copyFrom(Chunk src, int from, int to, int dest) {
            int n = to - from;
            System.arraycopy(src.lsns, from, lsns, dest, n);
            System.arraycopy(src.types, from, types, dest, n);
            System.arraycopy(src.sizes, from, sizes, dest, n);
            for (int i = 0; i < n; i++) {
                locations[dest + i] = (long) LOCATION.getAcquire(src.locations, from + i);
            }
        }

        /** A new chunk of {@code capacity} slots holding the slots {@code [from, to)}. */
        Chunk copy(int from, int to, int capacity) {
            Chunk c = new Chunk(Math.max(capacity, to - from));
            c.copyFrom(this, from, to, 0);
            c.count = to - from;
            return c;
        }
    }
}
