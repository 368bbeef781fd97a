package io.stratadb.sql.xa;

import java.io.Serializable;
import java.util.Arrays;
import java.util.HexFormat;
import javax.transaction.xa.Xid;

/**
 * An XA transaction branch identifier with value equality: two xids are equal when their format ids, global
 * transaction ids and branch qualifiers are equal, whichever class made them.
 *
 * <p>Invariants: the byte arrays are copied in and out, so instances are immutable; each part is at most 64
 * bytes ({@link XidCodec} checks).
 *
 * <p>Thread safety: immutable.
 */
public final class StrataXid implements Xid, Serializable {
    private static final long serialVersionUID = 1L;

    private final int formatId;
    private final byte[] gtrid;
    private final byte[] bqual;

    /** An xid of these parts. */
    public StrataXid(int formatId, byte[] gtrid, byte[] bqual) {
        this.formatId = formatId;
        this.gtrid = gtrid.clone();
        this.bqual = bqual.clone();
    }

    @Override
    public int getFormatId() {
        return formatId;
    }

    @Override
    public byte[] getGlobalTransactionId() {
        return gtrid.clone();
    }

    @Override
    public byte[] getBranchQualifier() {
        return bqual.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Xid x
                && x.getFormatId() == formatId
                && Arrays.equals(x.getGlobalTransactionId(), gtrid)
                && Arrays.equals(x.getBranchQualifier(), bqual);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * formatId + Arrays.hashCode(gtrid)) + Arrays.hashCode(bqual);
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return formatId + ":" + hex.formatHex(gtrid) + ":" + hex.formatHex(bqual);
    }
}
