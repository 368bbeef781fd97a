package io.stratadb.pagelog.bookkeeper.index;

/**
 * Where a record is stored: a BookKeeper ledger and an entry of it.
 *
 * @param ledgerId the ledger
 * @param entryId the entry
 */
public record Location(long ledgerId, long entryId) {}
