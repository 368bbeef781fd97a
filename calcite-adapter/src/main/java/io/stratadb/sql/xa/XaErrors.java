package io.stratadb.sql.xa;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import javax.transaction.xa.XAException;
import org.jspecify.annotations.Nullable;

/**
 * Translation of engine failures into {@link XAException}s with the error codes of the XA specification.
 *
 * <table>
 *   <caption>Mapping</caption>
 *   <tr><th>engine failure</th><th>XA error code</th></tr>
 *   <tr><td>NOT_LEADER, FENCED, COMMIT_OUTCOME_UNKNOWN, CLOSED, IO_ERROR</td><td>XAER_RMFAIL (the transaction
 *   manager retries later, on the leader; never a rollback vote, since a commit whose outcome is unknown may
 *   have committed)</td></tr>
 *   <tr><td>UNKNOWN_TRANSACTION</td><td>XAER_NOTA</td></tr>
 *   <tr><td>INVALID_TRANSACTION_STATE</td><td>XAER_PROTO</td></tr>
 *   <tr><td>a failed prepare or one-phase commit (the branch rolled back): conflicts and rollbacks</td>
 *   <td>XA_RBROLLBACK; integrity violations XA_RBINTEGRITY; other failures XA_RBOTHER</td></tr>
 *   <tr><td>anything else</td><td>XAER_RMERR</td></tr>
 * </table>
 *
 * <p>Invariants: every exception carries a message naming the xid or the operation, and the engine failure as
 * its cause.
 *
 * <p>Thread safety: stateless, thread-safe.
 */
final class XaErrors {
    private XaErrors() {}

    /** An XAException with {@code code} and a message that ends with the code's name. */
    static XAException error(int code, String message, @Nullable Throwable cause) {
        XAException e = new XAException(message + " [" + name(code) + "]");
        e.errorCode = code;
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    /** The XAException for a failure of {@code op}, outside a vote. */
    static XAException of(String op, RuntimeException e) {
        return error(code(e, false), op + " failed: " + e.getMessage(), e);
    }

    /** The XAException for a failed prepare or one-phase commit, after which the branch is rolled back. */
    static XAException vote(String op, RuntimeException e) {
        return error(code(e, true), op + " failed, the branch is rolled back: " + e.getMessage(), e);
    }

    private static int code(RuntimeException e, boolean vote) {
        if (!(e instanceof StrataException se)) {
            return XAException.XAER_RMERR;
        }
        ErrorCode c = se.code();
        return switch (c) {
            case NOT_LEADER, FENCED, COMMIT_OUTCOME_UNKNOWN, CLOSED, IO_ERROR -> XAException.XAER_RMFAIL;
            case UNKNOWN_TRANSACTION -> XAException.XAER_NOTA;
            case INVALID_TRANSACTION_STATE -> vote ? XAException.XA_RBPROTO : XAException.XAER_PROTO;
            case WRITE_CONFLICT, PREPARE_CONFLICT, TRANSACTION_ROLLED_BACK, CACHE_FULL ->
                vote ? XAException.XA_RBROLLBACK : XAException.XAER_RMERR;
            case DUPLICATE_KEY, NOT_NULL_VIOLATION -> vote ? XAException.XA_RBINTEGRITY : XAException.XAER_RMERR;
            default -> vote ? XAException.XA_RBOTHER : XAException.XAER_RMERR;
        };
    }

    /** The symbolic name of an XA error code, for messages. */
    static String name(int code) {
        return switch (code) {
            case XAException.XA_RBROLLBACK -> "XA_RBROLLBACK";
            case XAException.XA_RBCOMMFAIL -> "XA_RBCOMMFAIL";
            case XAException.XA_RBDEADLOCK -> "XA_RBDEADLOCK";
            case XAException.XA_RBINTEGRITY -> "XA_RBINTEGRITY";
            case XAException.XA_RBOTHER -> "XA_RBOTHER";
            case XAException.XA_RBPROTO -> "XA_RBPROTO";
            case XAException.XA_RBTIMEOUT -> "XA_RBTIMEOUT";
            case XAException.XA_RBTRANSIENT -> "XA_RBTRANSIENT";
            case XAException.XA_HEURHAZ -> "XA_HEURHAZ";
            case XAException.XA_HEURCOM -> "XA_HEURCOM";
            case XAException.XA_HEURRB -> "XA_HEURRB";
            case XAException.XA_HEURMIX -> "XA_HEURMIX";
            case XAException.XAER_ASYNC -> "XAER_ASYNC";
            case XAException.XAER_RMERR -> "XAER_RMERR";
            case XAException.XAER_NOTA -> "XAER_NOTA";
            case XAException.XAER_INVAL -> "XAER_INVAL";
            case XAException.XAER_PROTO -> "XAER_PROTO";
            case XAException.XAER_RMFAIL -> "XAER_RMFAIL";
            case XAException.XAER_DUPID -> "XAER_DUPID";
            case XAException.XAER_OUTSIDE -> "XAER_OUTSIDE";
            default -> "XA error " + code;
        };
    }
}
