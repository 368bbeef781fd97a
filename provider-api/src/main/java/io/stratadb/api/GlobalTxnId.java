package io.stratadb.api;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The global identity of a prepared transaction, shaped like an XA xid.
 *
 * <p>Invariants: {@code globalId} and {@code branchId} are at most 64 bytes each (the XA limit); equality is by
 * value. The arrays are copied in and out, so instances are immutable.
 *
 * @since 0.1
 */
public final class GlobalTxnId {
    /** The XA limit on the length of each identifier part. */
    public static final int MAX_PART = 64;

    private final int formatId;
    private final byte[] globalId;
    private final byte[] branchId;

    public GlobalTxnId(int formatId, byte[] globalId, byte[] branchId) {
        if (globalId.length > MAX_PART || branchId.length > MAX_PART) {
            throw new StrataException(ErrorCode.INVALID_ARGUMENT, "xid parts are limited to 64 bytes");
        }
        this.formatId = formatId;
        this.globalId = globalId.clone();
        this.branchId = branchId.clone();
    }

    public int formatId() {
        return formatId;
    }

    public byte[] globalId() {
        return globalId.clone();
    }

    public byte[] branchId() {
        return branchId.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GlobalTxnId x
                && x.formatId == formatId
                && Arrays.equals(x.globalId, globalId)
                && Arrays.equals(x.branchId, branchId);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * formatId + Arrays.hashCode(globalId)) + Arrays.hashCode(branchId);
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return formatId + ":" + hex.formatHex(globalId) + ":" + hex.formatHex(branchId);
    }
}
