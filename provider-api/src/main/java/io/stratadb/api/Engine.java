package io.stratadb.api;

import java.util.List;
import java.util.Optional;

/**
 * An open StrataDB database on one node: its tables, transactions, timestamps, checkpoints and role.
 *
 * <p>Invariants: (1) only the leader writes; on a follower every write fails with {@link ErrorCode#NOT_LEADER}
 * and schema operations during a role transition fail with {@link ErrorCode#INVALID_STATE}; (2) a commit
 * acknowledged with {@link Durability#FSYNC} survives a crash of the process or the machine; (3) every method
 * fails with {@link ErrorCode#CLOSED} after {@link #close()}.
 *
 * <p>Thread safety: thread-safe. Ownership: the caller that opened it closes it; closing releases the local
 * directory so another process can open it.
 *
 * @since 0.1
 */
public interface Engine extends AutoCloseable {
    /** The configuration it was opened with. */
    EngineConfig config();

    /** Opens a session. */
    Session openSession();

    // ---- catalogue ----

    /**
     * Creates a table; with {@code ifNotExists} an existing table of that name is returned instead of failing
     * with {@link ErrorCode#TABLE_EXISTS}. Leader only.
     */
    TableHandle createTable(TableSchema schema, boolean ifNotExists);

    /** Drops a table; returns false if absent and {@code ifExists}, else fails with TABLE_NOT_FOUND. */
    boolean dropTable(String name, boolean ifExists);

    /** Opens a table by name (case-sensitive), if it exists. */
    Optional<TableHandle> table(String name);

    /** Every table, in name order. */
    List<TableHandle> tables();

    // ---- timestamps ----

    /** The global timestamps now. */
    GlobalTimestamps timestamps();

    /** Moves a global timestamp ({@link TimestampMode#APPLICATION}); invalid moves fail with INVALID_TIMESTAMP. */
    void setTimestamp(TimestampKind kind, long value);

    // ---- maintenance ----

    /** Runs a checkpoint (leader); returns the completed checkpoint. */
    CheckpointInfo checkpoint();

    /** Aborts every update durable after the stable timestamp. Needs no active transactions. */
    void rollbackToStable();

    // ---- roles ----

    /** The node's role, epoch and replication state. */
    NodeState nodeState();

    /** Makes this follower the leader: fence, catch up, drain ingest, accept writes. */
    void stepUp();

    /** Makes this leader a follower: stop writes, mark trees read-only, tail the log. */
    void stepDown();

    /** On a follower: adopts the newest completed checkpoint; returns it, or empty if there is none. */
    Optional<CheckpointInfo> pickUpCheckpoint();

    // ---- introspection ----

    /** Active and prepared transactions. */
    List<TransactionInfo> transactions();

    /**
     * A prepared transaction that outlived its session (after a restart or failover, or from another
     * connection), to be committed or rolled back; empty if no prepared transaction has that id.
     */
    Optional<Transaction> preparedTransaction(GlobalTxnId xid);

    /**
     * Completes a prepared transaction unilaterally (a heuristic decision, by an administrator): commits it
     * (the engine chooses the commit timestamp, at or after its prepare timestamp and after stable) or rolls it
     * back, and durably remembers the outcome until {@link #forgetHeuristic(GlobalTxnId)}. Leader only. Fails
     * with {@link ErrorCode#UNKNOWN_TRANSACTION} if no transaction with that xid is prepared.
     *
     * @since 0.1
     */
    default HeuristicOutcome completeHeuristically(GlobalTxnId xid, boolean commit) {
        throw new StrataException(ErrorCode.UNSUPPORTED, "heuristic completion is not supported by this engine");
    }

    /**
     * Prepared transactions completed heuristically and not yet forgotten, oldest first.
     *
     * @since 0.1
     */
    default List<HeuristicOutcome> heuristicOutcomes() {
        return List.of();
    }

    /**
     * Forgets a heuristic outcome (durably); returns false if none is remembered for that xid. Leader only.
     *
     * @since 0.1
     */
    default boolean forgetHeuristic(GlobalTxnId xid) {
        throw new StrataException(ErrorCode.UNSUPPORTED, "heuristic outcomes are not supported by this engine");
    }

    /** Completed checkpoints known to this node, oldest first. */
    List<CheckpointInfo> checkpoints();

    /** Page-log statistics per table. */
    List<TablePageStats> pageLogStats();

    /** Cache statistics. */
    CacheStats cacheStats();

    @Override
    void close();
}
