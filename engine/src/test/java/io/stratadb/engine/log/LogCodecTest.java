package io.stratadb.engine.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.GlobalTxnId;
import io.stratadb.api.StrataException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogCodecTest {
    private static final LogEntry.TxnEntry PREPARE = new LogEntry.TxnEntry(
            RecordType.PREPARE,
            42,
            0,
            0,
            100,
            new GlobalTxnId(3, new byte[] {1, 2}, new byte[] {9}),
            List.of(
                    new LogEntry.Op(7, new byte[] {1, 0, 5}, new byte[] {1, 2, 3}),
                    new LogEntry.Op(7, new byte[] {2}, null)));

    private static LogEntry roundTrip(LogEntry e) {
        return LogCodec.decode(1, e.type().code(), LogCodec.encode(e));
    }

    @Test
    void everyRecordTypeRoundTrips() {
        LogEntry.TxnEntry back = (LogEntry.TxnEntry) roundTrip(PREPARE);
        assertEquals(PREPARE.txnId(), back.txnId());
        assertEquals(PREPARE.prepareTs(), back.prepareTs());
        assertEquals(PREPARE.xid(), back.xid());
        assertArrayEquals(PREPARE.ops().get(0).key(), back.ops().get(0).key());
        assertArrayEquals(PREPARE.ops().get(0).value(), back.ops().get(0).value());
        assertNull(back.ops().get(1).value(), "a delete stays a delete");
        LogEntry.TxnEntry commit = new LogEntry.TxnEntry(RecordType.COMMIT, 1, 20, 20, 0, null, List.of());
        assertEquals(commit, roundTrip(commit));
        for (LogEntry e : List.of(
                new LogEntry.Resolution(RecordType.COMMIT_PREPARED, 42, 110, 120),
                new LogEntry.Resolution(RecordType.ROLLBACK_PREPARED, 42, 0, 0),
                new LogEntry.DropTable(5),
                new LogEntry.Timestamps(3, 9),
                new LogEntry.RollbackToStable(9))) {
            assertEquals(e, roundTrip(e));
        }
        LogEntry.CreateTable c = (LogEntry.CreateTable) roundTrip(new LogEntry.CreateTable(5, new byte[] {4, 5}));
        assertArrayEquals(new byte[] {4, 5}, c.schema());
    }

    @Test
    void aCommitEncodedBeforeItsTimestampsArePatchedInDecodesWithThem() {
        byte[] big = new byte[300]; // a length over 127 takes a two-byte varint
        Arrays.fill(big, (byte) 7);
        List<LogEntry.Op> ops = List.of(
                new LogEntry.Op(7, new byte[] {1, 0, 5}, big),
                new LogEntry.Op(8, new byte[] {2}, null),
                new LogEntry.Op(9, big, new byte[0]));
        byte[] payload = LogCodec.encode(new LogEntry.TxnEntry(RecordType.COMMIT, 77, 0, 0, 0, null, ops));
        LogCodec.patchCommitTimestamps(payload, 1234, 5678);
        LogEntry.TxnEntry back = (LogEntry.TxnEntry) LogCodec.decode(3, RecordType.COMMIT.code(), payload);
        assertEquals(77, back.txnId());
        assertEquals(1234, back.commitTs());
        assertEquals(5678, back.durableTs());
        assertEquals(3, back.ops().size());
        assertArrayEquals(big, back.ops().get(0).value());
        assertNull(back.ops().get(1).value());
        assertArrayEquals(big, back.ops().get(2).key());
        LogEntry.TxnEntry direct = new LogEntry.TxnEntry(RecordType.COMMIT, 77, 1234, 5678, 0, null, ops);
        assertArrayEquals(LogCodec.encode(direct), payload, "patching gives the bytes of encoding with them");
    }

    @Test
    void everyFlippedBitTruncationAndWrongTypeIsCorruption() {
        byte[] good = LogCodec.encode(PREPARE);
        for (int i = 0; i < good.length * 8; i++) {
            byte[] bad = good.clone();
            bad[i / 8] ^= (byte) (1 << (i % 8));
            StrataException e = assertThrows(
                    StrataException.class, () -> LogCodec.decode(9, RecordType.PREPARE.code(), bad), "bit " + i);
            assertEquals(ErrorCode.CORRUPTION, e.code());
        }
        for (int len = 0; len < good.length; len++) {
            byte[] cut = Arrays.copyOf(good, len);
            assertEquals(
                    ErrorCode.CORRUPTION,
                    assertThrows(StrataException.class, () -> LogCodec.decode(9, RecordType.PREPARE.code(), cut))
                            .code());
        }
        assertEquals(
                ErrorCode.CORRUPTION,
                assertThrows(StrataException.class, () -> LogCodec.decode(9, RecordType.COMMIT.code(), good))
                        .code());
    }
}
