package io.stratadb.sql.xa;

/**
 * The life cycle of an XA branch before prepare, as the {@link BranchTable} tracks it; a prepared branch
 * belongs to the engine (a prepared transaction with the branch's xid) and leaves the table.
 *
 * <pre>
 *   start(NOFLAGS)       end(SUCCESS)           prepare / commit(1PC) / rollback
 *   ------------> ACTIVE ------------> IDLE --------------------------------------> (gone)
 *                 ^  |  ^ start(JOIN)   |
 *   start(RESUME) |  |  +---------------+
 *                 |  v end(SUSPEND)
 *               SUSPENDED
 *   ACTIVE / IDLE / SUSPENDED --end(FAIL), a conflict, a timeout--> ROLLBACK_ONLY --rollback--> (gone)
 * </pre>
 *
 * <table>
 *   <caption>Transitions</caption>
 *   <tr><th>from</th><th>to</th><th>performed by</th></tr>
 *   <tr><td>(none)</td><td>ACTIVE</td><td>{@code StrataXAResource.start(xid, TMNOFLAGS)}</td></tr>
 *   <tr><td>ACTIVE</td><td>IDLE</td><td>{@code end(xid, TMSUCCESS)} by the last associated connection</td></tr>
 *   <tr><td>ACTIVE</td><td>SUSPENDED</td><td>{@code end(xid, TMSUSPEND)}</td></tr>
 *   <tr><td>SUSPENDED</td><td>ACTIVE</td><td>{@code start(xid, TMRESUME)}</td></tr>
 *   <tr><td>IDLE, ACTIVE</td><td>ACTIVE</td><td>{@code start(xid, TMJOIN)}</td></tr>
 *   <tr><td>any</td><td>ROLLBACK_ONLY</td><td>{@code end(xid, TMFAIL)}, an engine rollback (conflict), the
 *   branch timeout</td></tr>
 *   <tr><td>IDLE</td><td>(gone)</td><td>{@code prepare}, {@code commit(xid, true)}, {@code rollback}</td></tr>
 *   <tr><td>ROLLBACK_ONLY</td><td>(gone)</td><td>{@code rollback}; {@code prepare} and {@code commit} fail with
 *   XA_RB*</td></tr>
 * </table>
 *
 * <p>Thread safety: immutable.
 */
enum BranchState {
    ACTIVE,
    SUSPENDED,
    IDLE,
    ROLLBACK_ONLY
}
