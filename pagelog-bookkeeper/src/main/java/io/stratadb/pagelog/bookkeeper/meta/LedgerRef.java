package io.stratadb.pagelog.bookkeeper.meta;

/**
 * One ledger of the manifest.
 *
 * @param epoch the epoch of the writer that created it
 * @param ledgerId the BookKeeper ledger id
 * @param firstLsn the first LSN the writer could assign in it
 */
public record LedgerRef(long epoch, long ledgerId, long firstLsn) {}
