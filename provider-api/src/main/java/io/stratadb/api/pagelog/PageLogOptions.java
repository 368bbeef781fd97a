package io.stratadb.api.pagelog;

/**
 * How a node opens a page log.
 *
 * @param nodeId the opening node's id, recorded with the epoch it claims
 * @param syncWrites whether {@link PageLog#sync(long)} must reach stable storage (fsync, a write quorum);
 *     false for databases opened with durability {@code none}
 * @since 0.1
 */
public record PageLogOptions(String nodeId, boolean syncWrites) {}
