package io.stratadb.api;

import java.net.URI;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of a node's role and replication state, as shown in {@code SYS.NODE}.
 *
 * @param nodeId this node's id
 * @param role current role, including the transitional ones
 * @param epoch the page-log epoch this node last saw (the leader's writing epoch)
 * @param leader the current leader's node id when known
 * @param pageLog the page-log URI
 * @param checkpointLsn LSN of the last completed (leader) or picked-up (follower) checkpoint, 0 if none
 * @param checkpointTimestamp its timestamp
 * @param timestamps the global timestamps
 * @param appliedLsn newest log LSN applied on this node
 * @param lagLsns how far the applied LSN is behind the page log's last LSN
 * @since 0.1
 */
public record NodeState(
        String nodeId,
        Role role,
        long epoch,
        @Nullable String leader,
        URI pageLog,
        long checkpointLsn,
        long checkpointTimestamp,
        GlobalTimestamps timestamps,
        long appliedLsn,
        long lagLsns) {}
