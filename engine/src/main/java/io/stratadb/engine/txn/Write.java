package io.stratadb.engine.txn;

import io.stratadb.engine.btree.BTree;
import io.stratadb.engine.btree.Slot;
import io.stratadb.engine.btree.Update;

/**
 * One write of a transaction: the update it prepended to a key's chain, and where.
 *
 * <p>Invariants: {@code update} is owned by the writing transaction and was prepended to {@code slot}, a slot
 * of {@code tree}.
 *
 * <p>Thread safety: immutable (the update's abort flag aside).
 *
 * @param tableId the table's id, for the commit log
 * @param tree the table's tree
 * @param slot the key's slot
 * @param update the update, owned by the transaction
 */
public record Write(long tableId, BTree tree, Slot slot, Update update) {}
