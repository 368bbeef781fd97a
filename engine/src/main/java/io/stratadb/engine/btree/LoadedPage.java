package io.stratadb.engine.btree;

/**
 * One page of a tree being loaded ({@link BTree#load}): a resident leaf ({@link BTree.LeafView}) or an evicted
 * one ({@link EvictedPage}).
 *
 * <p>Invariants: pages are given in key order.
 *
 * <p>Thread safety: implementations are immutable.
 */
public sealed interface LoadedPage permits BTree.LeafView, EvictedPage {}
