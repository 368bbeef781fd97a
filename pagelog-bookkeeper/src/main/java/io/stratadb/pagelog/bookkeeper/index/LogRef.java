package io.stratadb.pagelog.bookkeeper.index;

/**
 * A retained log record: its type, its payload and where it is stored.
 *
 * <p>Log records are kept in memory until a checkpoint reclaims them, so that followers tailing the log read
 * them without a BookKeeper round trip.
 *
 * @param lsn its LSN
 * @param type the engine's record type
 * @param payload the record bytes
 * @param location where it is stored
 */
@SuppressWarnings("ArrayRecordComponent") // shared, not copied; nobody mutates it
public record LogRef(long lsn, int type, byte[] payload, Location location) {}
