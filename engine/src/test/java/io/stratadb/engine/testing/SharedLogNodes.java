package io.stratadb.engine.testing;

import io.stratadb.api.Durability;
import io.stratadb.api.Engine;
import io.stratadb.api.EngineConfig;
import io.stratadb.api.Role;
import io.stratadb.api.StorageProviders;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * Nodes of one database for failover tests: each opened through the provider SPI in its own directory under one
 * root, all on one shared page log, durable ({@code durability=fsync}), picking up checkpoints automatically, with
 * the same engine options.
 *
 * <p>Invariants: node {@code n} lives in {@code root/n}; reopening a node reopens its directory.
 *
 * <p>Thread safety: immutable. Ownership: callers close the engines they open.
 */
public final class SharedLogNodes {
    private final Path root;
    private final URI pageLog;
    private final Map<String, String> options;

    /** Nodes under {@code root} sharing {@code pageLog}, each opened with {@code options}. */
    public SharedLogNodes(Path root, URI pageLog, Map<String, String> options) {
        this.root = root;
        this.pageLog = pageLog;
        this.options = Map.copyOf(options);
    }

    /** The shared page log. */
    public URI pageLog() {
        return pageLog;
    }

    /** Opens node {@code node} in role {@code role}. */
    public Engine open(String node, Role role) {
        return open(pageLog, node, role);
    }

    /**
     * Opens node {@code node} on another URI of the same page log (for example with client options of its own,
     * such as a ZooKeeper session timeout).
     */
    public Engine open(URI log, String node, Role role) {
        return StorageProviders.get("strata")
                .open(EngineConfig.builder()
                        .path(root.resolve(node))
                        .pageLog(log)
                        .role(role)
                        .nodeId(node)
                        .durability(Durability.FSYNC)
                        .autoPickup(true)
                        .options(options)
                        .build());
    }
}
