/**
 * Transactions: snapshot isolation over the B+tree's update chains, first-committer-wins conflicts,
 * timestamps with WiredTiger's ordering rules, prepared transactions, savepoints and rollback to stable.
 * Imports {@code io.stratadb.api} and {@code io.stratadb.engine.btree}; the commit log is reached through the
 * {@link io.stratadb.engine.txn.TxnLog} interface so this package does not depend on {@code log}. See {@code
 * site/src/site/markdown/transactions.md} and {@code timestamps.md}.
 */
@NullMarked
package io.stratadb.engine.txn;

import org.jspecify.annotations.NullMarked;
