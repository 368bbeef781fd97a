package io.stratadb.engine.log;

import io.stratadb.api.GlobalTxnId;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A decoded log record payload.
 *
 * <p>Invariants: each entry encodes to exactly one payload of its {@link #type()}; see {@link LogCodec}.
 *
 * <p>Thread safety: immutable (arrays are shared, never mutated).
 */
public sealed interface LogEntry
        permits LogEntry.TxnEntry,
                LogEntry.Resolution,
                LogEntry.CreateTable,
                LogEntry.DropTable,
                LogEntry.Timestamps,
                LogEntry.RollbackToStable,
                LogEntry.Heuristic,
                LogEntry.ForgetHeuristic {
    /** The record type. */
    RecordType type();

    /**
     * One write of a transaction.
     *
     * @param tableId table id
     * @param key encoded key
     * @param value encoded row, or null for a delete
     */
    @SuppressWarnings("ArrayRecordComponent") // never mutated
    record Op(long tableId, byte[] key, byte @Nullable [] value) {}

    /**
     * A COMMIT or PREPARE record.
     *
     * @param type COMMIT or PREPARE
     * @param txnId transaction id
     * @param commitTs commit timestamp (0 for PREPARE or untimestamped)
     * @param durableTs durable timestamp
     * @param prepareTs prepare timestamp (PREPARE only)
     * @param xid xid (PREPARE only)
     * @param ops the writes in order
     */
    record TxnEntry(
            RecordType type,
            long txnId,
            long commitTs,
            long durableTs,
            long prepareTs,
            @Nullable GlobalTxnId xid,
            List<Op> ops)
            implements LogEntry {}

    /**
     * A COMMIT_PREPARED or ROLLBACK_PREPARED record.
     *
     * @param type the resolution
     * @param txnId the prepared transaction's id
     * @param commitTs commit timestamp (0 for rollback)
     * @param durableTs durable timestamp (0 for rollback)
     */
    record Resolution(RecordType type, long txnId, long commitTs, long durableTs) implements LogEntry {}

    /**
     * A CREATE_TABLE record.
     *
     * @param tableId new table's id
     * @param schema encoded schema (catalogue format)
     */
    @SuppressWarnings("ArrayRecordComponent") // never mutated
    record CreateTable(long tableId, byte[] schema) implements LogEntry {
        @Override
        public RecordType type() {
            return RecordType.CREATE_TABLE;
        }
    }

    /**
     * A DROP_TABLE record.
     *
     * @param tableId dropped table's id
     */
    record DropTable(long tableId) implements LogEntry {
        @Override
        public RecordType type() {
            return RecordType.DROP_TABLE;
        }
    }

    /**
     * A TIMESTAMPS record.
     *
     * @param oldest oldest timestamp
     * @param stable stable timestamp
     */
    record Timestamps(long oldest, long stable) implements LogEntry {
        @Override
        public RecordType type() {
            return RecordType.TIMESTAMPS;
        }
    }

    /**
     * A ROLLBACK_TO_STABLE record.
     *
     * @param stable the stable timestamp it rolled back to
     */
    record RollbackToStable(long stable) implements LogEntry {
        @Override
        public RecordType type() {
            return RecordType.ROLLBACK_TO_STABLE;
        }
    }

    /**
     * A HEURISTIC record.
     *
     * @param txnId the prepared transaction's id
     * @param xid its xid
     * @param committed whether it was committed (else rolled back)
     * @param resolves true for the completion itself (replay resolves the prepared transaction); false for a
     *     reminder of an outcome recorded earlier (replay only remembers it)
     * @param prepareTs its prepare timestamp
     * @param commitTs commit timestamp (0 when rolled back)
     * @param durableTs durable timestamp (0 when rolled back)
     */
    record Heuristic(
            long txnId,
            GlobalTxnId xid,
            boolean committed,
            boolean resolves,
            long prepareTs,
            long commitTs,
            long durableTs)
            implements LogEntry {
        @Override
        public RecordType type() {
            return RecordType.HEURISTIC;
        }
    }

    /**
     * A FORGET_HEURISTIC record.
     *
     * @param xid the xid whose heuristic outcome is forgotten
     */
    record ForgetHeuristic(GlobalTxnId xid) implements LogEntry {
        @Override
        public RecordType type() {
            return RecordType.FORGET_HEURISTIC;
        }
    }
}
