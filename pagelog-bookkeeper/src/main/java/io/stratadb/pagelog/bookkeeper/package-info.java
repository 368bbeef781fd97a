/**
 * The {@code bookkeeper:} page-log backend: records in Apache BookKeeper ledgers (one writer per ledger, fenced
 * by ledger recovery), the epoch, ledger manifest and checkpoint completions in ZooKeeper through Curator. Depends
 * on provider-api only, never on the engine; see {@code site/src/site/markdown/distributed.md}.
 */
@NullMarked
package io.stratadb.pagelog.bookkeeper;

import org.jspecify.annotations.NullMarked;
