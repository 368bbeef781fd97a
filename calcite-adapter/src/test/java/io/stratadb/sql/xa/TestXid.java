package io.stratadb.sql.xa;

import java.nio.charset.StandardCharsets;
import javax.transaction.xa.Xid;

/**
 * A transaction manager's xid: a class of its own, without value equality, as a TM hands them to resources.
 *
 * <p>Thread safety: immutable.
 */
final class TestXid implements Xid {
    private final int formatId;
    private final byte[] gtrid;
    private final byte[] bqual;

    TestXid(int formatId, String gtrid, String bqual) {
        this.formatId = formatId;
        this.gtrid = gtrid.getBytes(StandardCharsets.UTF_8);
        this.bqual = bqual.getBytes(StandardCharsets.UTF_8);
    }

    static TestXid of(String name) {
        return new TestXid(4711, name, "b1");
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
    public String toString() {
        return new StrataXid(formatId, gtrid, bqual).toString();
    }
}
