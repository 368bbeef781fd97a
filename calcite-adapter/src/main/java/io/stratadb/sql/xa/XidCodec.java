package io.stratadb.sql.xa;

import io.stratadb.api.GlobalTxnId;
import javax.transaction.xa.XAException;
import javax.transaction.xa.Xid;
import org.jspecify.annotations.Nullable;

/**
 * The mapping between XA {@link Xid}s and the engine's {@link GlobalTxnId}s.
 *
 * <p>Invariants: {@code toXid(toGlobal(x)).equals(x)} for every valid xid, so {@code recover} returns xids
 * value-equal to the ones the transaction manager started; a null xid or a part longer than 64 bytes fails with
 * {@code XAER_INVAL}.
 *
 * <p>Thread safety: stateless, thread-safe.
 */
final class XidCodec {
    private XidCodec() {}

    static GlobalTxnId toGlobal(@Nullable Xid xid) throws XAException {
        if (xid == null) {
            throw XaErrors.error(XAException.XAER_INVAL, "the xid is null", null);
        }
        byte[] g = xid.getGlobalTransactionId();
        byte[] b = xid.getBranchQualifier();
        if (g == null || b == null || g.length > Xid.MAXGTRIDSIZE || b.length > Xid.MAXBQUALSIZE) {
            throw XaErrors.error(
                    XAException.XAER_INVAL, "xid " + xid + " has a missing part or a part longer than 64 bytes", null);
        }
        return new GlobalTxnId(xid.getFormatId(), g, b);
    }

    static StrataXid toXid(GlobalTxnId x) {
        return new StrataXid(x.formatId(), x.globalId(), x.branchId());
    }
}
