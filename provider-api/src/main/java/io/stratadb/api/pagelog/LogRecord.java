package io.stratadb.api.pagelog;

/**
 * A log record: the redo of a committed or prepared transaction, or another engine record.
 *
 * @param lsn its LSN
 * @param type the engine's record type
 * @param payload the record bytes (the engine's format, checksummed by the backend)
 * @since 0.1
 */
@SuppressWarnings("ArrayRecordComponent") // arrays are shared, not copied, on hot paths; callers must not mutate them
public record LogRecord(long lsn, int type, byte[] payload) {}
