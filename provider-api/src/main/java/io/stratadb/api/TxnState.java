package io.stratadb.api;

/**
 * The life cycle of a transaction.
 *
 * <pre>
 *            prepare()            commit(c, d)
 *   ACTIVE -----------> PREPARED -------------> COMMITTED
 *     |  \                  |
 *     |   \ commit()        | rollback()
 *     |    +-----------------------------------> COMMITTED
 *     | rollback()          v
 *     +-----------------> ROLLED_BACK
 * </pre>
 *
 * <table>
 *   <caption>Transitions</caption>
 *   <tr><th>from</th><th>to</th><th>performed by</th></tr>
 *   <tr><td>ACTIVE</td><td>PREPARED</td><td>{@link Transaction#prepare(long, GlobalTxnId)}</td></tr>
 *   <tr><td>ACTIVE</td><td>COMMITTED</td><td>{@link Transaction#commit()}</td></tr>
 *   <tr><td>ACTIVE</td><td>ROLLED_BACK</td><td>{@link Transaction#rollback()}, a conflict, step-down</td></tr>
 *   <tr><td>PREPARED</td><td>COMMITTED</td><td>{@link Transaction#commit(long, long)}</td></tr>
 *   <tr><td>PREPARED</td><td>ROLLED_BACK</td><td>{@link Transaction#rollback()}</td></tr>
 * </table>
 *
 * <p>COMMITTED and ROLLED_BACK are final. In PREPARED no reads or writes are allowed, only resolution.
 *
 * @since 0.1
 */
public enum TxnState {
    ACTIVE,
    PREPARED,
    COMMITTED,
    ROLLED_BACK;

    /** Whether {@code next} may follow this state; see the transition table. */
    public boolean canMoveTo(TxnState next) {
        return switch (this) {
            case ACTIVE -> next == PREPARED || next == COMMITTED || next == ROLLED_BACK;
            case PREPARED -> next == COMMITTED || next == ROLLED_BACK;
            case COMMITTED, ROLLED_BACK -> false;
        };
    }

    /** Throws {@link IllegalStateException} unless {@code next} may follow this state. */
    public void checkTransition(TxnState next) {
        if (!canMoveTo(next)) {
            throw new IllegalStateException("illegal transaction transition " + this + " -> " + next);
        }
    }

    /** Whether the transaction has finished. */
    public boolean finished() {
        return this == COMMITTED || this == ROLLED_BACK;
    }
}
