package io.stratadb.engine.log;

import io.stratadb.api.pagelog.LogRecord;
import io.stratadb.api.pagelog.PageLog;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Reads the log records of a page log in LSN order and decodes them for recovery.
 *
 * <p>Invariants: entries are delivered in strictly increasing LSN order; a malformed payload stops the read
 * with CORRUPTION (the backend has already cut a torn tail, so a bad payload is real corruption).
 *
 * <p>Thread safety: stateless; one call reads one page log.
 */
public final class LogReader {
    private static final int BATCH = 1024;

    private LogReader() {}

    /** Feeds every log record after {@code afterLsn} to {@code sink}; returns the last LSN read. */
    public static long readAll(PageLog log, long afterLsn, BiConsumer<Long, LogEntry> sink) {
        long last = afterLsn;
        while (true) {
            List<LogRecord> batch = log.readLog(last, BATCH);
            if (batch.isEmpty()) {
                return last;
            }
            for (LogRecord r : batch) {
                if (r.lsn() <= last) {
                    throw new io.stratadb.api.StrataException(
                            io.stratadb.api.ErrorCode.CORRUPTION,
                            "log record LSN " + r.lsn() + " is not after LSN " + last);
                }
                sink.accept(r.lsn(), LogCodec.decode(r.lsn(), r.type(), r.payload()));
                last = r.lsn();
            }
        }
    }
}
