package io.stratadb.sql.xa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import javax.transaction.xa.XAException;
import org.junit.jupiter.api.Test;

/** Engine failures reach transaction managers with the XA codes they act on. */
class XaErrorsTest {
    private static int code(ErrorCode c, boolean vote) {
        StrataException e = new StrataException(c, "x");
        return vote ? XaErrors.vote("prepare", e).errorCode : XaErrors.of("commit", e).errorCode;
    }

    @Test
    void aNodeThatCannotWriteIsAResourceManagerFailureSoTheManagerRetries() {
        for (ErrorCode c : new ErrorCode[] {ErrorCode.NOT_LEADER, ErrorCode.FENCED, ErrorCode.CLOSED}) {
            assertEquals(XAException.XAER_RMFAIL, code(c, false), c.name());
            assertEquals(XAException.XAER_RMFAIL, code(c, true), c.name());
        }
    }

    @Test
    void failedVotesAreRollbacksAndOtherFailuresKeepTheirMeaning() {
        assertEquals(XAException.XA_RBROLLBACK, code(ErrorCode.WRITE_CONFLICT, true));
        assertEquals(XAException.XA_RBINTEGRITY, code(ErrorCode.DUPLICATE_KEY, true));
        assertEquals(XAException.XA_RBOTHER, code(ErrorCode.INVALID_TIMESTAMP, true));
        assertEquals(XAException.XAER_NOTA, code(ErrorCode.UNKNOWN_TRANSACTION, false));
        assertEquals(XAException.XAER_PROTO, code(ErrorCode.INVALID_TRANSACTION_STATE, false));
        assertEquals(XAException.XAER_RMERR, code(ErrorCode.INTERNAL, false));
        assertEquals(XAException.XAER_RMERR, XaErrors.of("commit", new IllegalStateException("bug")).errorCode);
    }

    @Test
    void messagesNameTheCodeAndKeepTheCause() {
        StrataException cause = new StrataException(ErrorCode.NOT_LEADER, "write on follower n2, leader is n1");
        XAException e = XaErrors.of("commit(1:ab:01)", cause);
        String m = String.valueOf(e.getMessage());
        assertTrue(m.contains("commit(1:ab:01)"), m);
        assertTrue(m.contains("leader is n1"), m);
        assertTrue(m.endsWith("[XAER_RMFAIL]"), m);
        assertSame(cause, e.getCause());
    }
}
