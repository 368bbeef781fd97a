package io.stratadb.engine.btree;

/**
 * The cache's estimate of a resident leaf's memory: per slot its key plus {@link #SLOT_BYTES} plus its folded
 * value, per update of its chain the value plus {@link #UPDATE_BYTES}.
 *
 * <p>Invariants: the estimate depends only on the leaf's slots and their chains at the time of the call.
 *
 * <p>Thread safety: stateless (a chain read concurrently with writers gives an estimate of one moment).
 */
final class LeafBytes {
    /** Bytes charged per resident slot besides its key and folded value (slot, array entry, key-head words). */
    static final int SLOT_BYTES = 48;

    /** Bytes charged per update of a chain besides its value (update, owner share). */
    static final int UPDATE_BYTES = 40;

    private LeafBytes() {}

    static long measure(Leaf leaf) {
        long n = 0;
        for (int i = 0; i < leaf.size(); i++) {
            Slot s = leaf.slot(i);
            n += SLOT_BYTES + s.key().length;
            byte[] b = s.base();
            if (b != null) {
                n += b.length; // the slot holds it: no update or owner object
            }
            for (Update u = s.head(); u != null; u = u.next()) {
                byte[] v = u.value();
                n += UPDATE_BYTES + (v == null ? 0 : v.length);
            }
        }
        return n;
    }
}
