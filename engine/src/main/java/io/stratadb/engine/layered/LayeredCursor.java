package io.stratadb.engine.layered;

import io.stratadb.engine.btree.BTree;
import io.stratadb.engine.btree.KeyCursor;
import io.stratadb.engine.btree.ReadView;
import io.stratadb.engine.btree.TreeCursor;
import io.stratadb.engine.btree.Update;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A cursor over a layered table: the ingest and stable cursors merged by key, each key resolved by the {@link
 * LayeredRead} rule, keys whose winner is a tombstone skipped.
 *
 * <p>Both sub-cursors run in tombstone mode, so a delete in ingest is seen and hides the stable row. Moving
 * forward advances every sub-cursor that sits on the current key; the next position is the smaller of the two
 * sub-cursor keys (the larger when moving back). Changing direction re-seeks both sub-cursors around the current
 * key.
 *
 * <p>Invariants: (1) when positioned, the key is the smallest (or largest, moving back) not yet returned in the
 * direction of travel and its merged version is a value; (2) each sub-cursor is at or beyond the current key in
 * the direction of travel.
 *
 * <p>Thread safety: not thread-safe; one thread moves it.
 */
public final class LayeredCursor implements KeyCursor {
    private final TreeCursor ingest;
    private final TreeCursor stable;
    private boolean ingestOn;
    private boolean stableOn;
    private int direction; // +1 forward, -1 back, 0 not started (after seek or construction)
    private byte @Nullable [] key;
    private byte @Nullable [] value;
    private boolean pendingFirst; // the sub-cursors were just stepped by turn(): settle must not step again

    public LayeredCursor(
            BTree ingestTree, BTree stableTree, ReadView view, byte @Nullable [] low, byte @Nullable [] high) {
        this.ingest = new TreeCursor(ingestTree, view, low, high, true);
        this.stable = new TreeCursor(stableTree, view, low, high, true);
    }

    @Override
    public void seek(byte[] k) {
        ingest.seek(k);
        stable.seek(k);
        direction = 0;
        key = null;
        value = null;
    }

    @Override
    public boolean next() {
        if (direction != 1) {
            turn(1);
        }
        return settle(1);
    }

    @Override
    public boolean prev() {
        if (direction != -1) {
            turn(-1);
        }
        return settle(-1);
    }

    /** Starts moving in direction {@code d}: both sub-cursors step once from where the merged cursor is. */
    private void turn(int d) {
        byte[] at = key;
        if (at != null) {
            ingest.seek(at);
            stable.seek(at);
        }
        ingestOn = step(ingest, d);
        stableOn = step(stable, d);
        if (at != null && d > 0) {
            // seek then next() lands on the current key itself; moving forward starts after it
            ingestOn = skipKey(ingest, ingestOn, at);
            stableOn = skipKey(stable, stableOn, at);
        }
        direction = d;
        key = null;
        value = null;
        pendingFirst = true;
    }

    private static boolean step(TreeCursor c, int d) {
        return d > 0 ? c.next() : c.prev();
    }

    private static boolean skipKey(TreeCursor c, boolean on, byte[] at) {
        if (on && Arrays.equals(c.key(), at)) {
            return c.next();
        }
        return on;
    }

    /** Moves to the next merged key whose winner is a value, in direction {@code d}. */
    private boolean settle(int d) {
        if (!pendingFirst && key != null) {
            advancePast(d);
        }
        pendingFirst = false;
        while (ingestOn || stableOn) {
            byte[] k;
            Update ui = null;
            Update us = null;
            if (ingestOn && stableOn) {
                int c = Arrays.compareUnsigned(ingest.key(), stable.key());
                if (c == 0) {
                    k = ingest.key();
                    ui = ingest.update();
                    us = stable.update();
                } else if ((c < 0) == (d > 0)) {
                    k = ingest.key();
                    ui = ingest.update();
                } else {
                    k = stable.key();
                    us = stable.update();
                }
            } else if (ingestOn) {
                k = ingest.key();
                ui = ingest.update();
            } else {
                k = stable.key();
                us = stable.update();
            }
            Update w = LayeredRead.pick(ui, us);
            key = k;
            if (w != null && w.value() != null) {
                value = w.value();
                return true;
            }
            advancePast(d);
        }
        key = null;
        value = null;
        return false;
    }

    /** Steps every sub-cursor that is on the current key. */
    private void advancePast(int d) {
        byte[] at = key;
        if (at == null) {
            return;
        }
        if (ingestOn && Arrays.equals(ingest.key(), at)) {
            ingestOn = step(ingest, d);
        }
        if (stableOn && Arrays.equals(stable.key(), at)) {
            stableOn = step(stable, d);
        }
    }

    @Override
    public boolean positioned() {
        return value != null;
    }

    @Override
    public byte[] key() {
        byte[] k = key;
        if (k == null || value == null) {
            throw new IllegalStateException("cursor not positioned");
        }
        return k;
    }

    @Override
    public byte[] value() {
        byte[] v = value;
        if (v == null) {
            throw new IllegalStateException("cursor not positioned");
        }
        return v;
    }
}
