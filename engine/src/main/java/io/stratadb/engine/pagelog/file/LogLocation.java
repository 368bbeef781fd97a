package io.stratadb.engine.pagelog.file;

/**
 * Where a log record is stored.
 *
 * <p>Invariants: {@code location} points at a frame of kind LOG with this LSN and payload size.
 *
 * <p>Thread safety: immutable.
 *
 * @param lsn its LSN
 * @param type the engine's record type
 * @param size payload bytes
 * @param location segment and offset of its frame (see {@link Segments#location})
 */
record LogLocation(long lsn, int type, int size, long location) {}
