package io.stratadb.api;

/**
 * The remembered outcome of a prepared transaction that was completed unilaterally (heuristically), by an
 * administrator, instead of by its transaction manager.
 *
 * <p>Invariants: the engine keeps it durably, across restarts and checkpoints, until {@link
 * Engine#forgetHeuristic(GlobalTxnId)}; while it is kept, no transaction can be prepared with the same xid.
 *
 * @param xid the prepared transaction's global id
 * @param txnId the engine's transaction id
 * @param committed true if it was committed, false if rolled back
 * @param prepareTimestamp its prepare timestamp
 * @param commitTimestamp its commit timestamp (0 when rolled back)
 * @since 0.1
 */
public record HeuristicOutcome(
        GlobalTxnId xid, long txnId, boolean committed, long prepareTimestamp, long commitTimestamp) {}
