package io.stratadb.api;

import org.jspecify.annotations.Nullable;

/**
 * An active or prepared transaction, as shown in {@code SYS.TRANSACTIONS}.
 *
 * @param id transaction id
 * @param state ACTIVE or PREPARED
 * @param readTimestamp snapshot timestamp
 * @param prepareTimestamp prepare timestamp, 0 if not prepared
 * @param commitTimestamp commit timestamp if set, else 0
 * @param writes number of keys written
 * @param xid global id of a prepared transaction, if any
 * @since 0.1
 */
public record TransactionInfo(
        long id,
        TxnState state,
        long readTimestamp,
        long prepareTimestamp,
        long commitTimestamp,
        int writes,
        @Nullable GlobalTxnId xid) {}
