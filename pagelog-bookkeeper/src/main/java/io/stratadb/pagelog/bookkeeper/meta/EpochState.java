package io.stratadb.pagelog.bookkeeper.meta;

/**
 * The epoch znode as read: the newest epoch, the node that claimed it, and the znode version that every guarded
 * metadata write checks.
 *
 * @param epoch the epoch (0 before any claim)
 * @param owner the node id that claimed it ("" before any claim)
 * @param version the znode's data version
 */
public record EpochState(long epoch, String owner, int version) {}
