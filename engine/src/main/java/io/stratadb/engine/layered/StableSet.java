package io.stratadb.engine.layered;

import io.stratadb.engine.btree.BTree;
import java.util.Map;

/**
 * The stable trees of one picked-up checkpoint, by table id: what a follower reads below its ingest trees.
 *
 * <p>Invariants: (1) immutable: a pickup publishes a new set, it never changes one; (2) {@code generation}
 * increases with every published set, so a transaction that captured a set can be told from newer ones; (3) a
 * table missing from the set has an empty stable tree (created after the checkpoint).
 *
 * <p>Thread safety: immutable (the trees themselves are read-only while they serve as stable trees).
 *
 * @param generation increases by one per pickup
 * @param checkpointLsn completion LSN of the checkpoint, 0 for the empty set
 * @param checkpointTs its checkpoint timestamp
 * @param trees stable tree per table id
 */
public record StableSet(long generation, long checkpointLsn, long checkpointTs, Map<Long, BTree> trees) {
    private static final BTree EMPTY_TREE = new BTree();

    public StableSet {
        trees = Map.copyOf(trees);
    }

    /** The set of a node that has picked up nothing (or stepped down): every stable tree is empty. */
    public static StableSet empty(long generation) {
        return new StableSet(generation, 0, 0, Map.of());
    }

    /** The stable tree of table {@code tableId}; an empty tree if the checkpoint does not have the table. */
    public BTree tree(long tableId) {
        BTree t = trees.get(tableId);
        return t == null ? EMPTY_TREE : t;
    }
}
