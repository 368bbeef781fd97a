package io.stratadb.pagelog.bookkeeper;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A parsed {@code bookkeeper://host:port[,host:port...]/base/path[?key=value&...]} page-log URI.
 *
 * <p>Keys: {@code ensemble} (3), {@code writeQuorum} (3), {@code ackQuorum} (2), {@code ledgersRoot} (the
 * bookies' ZooKeeper root, {@code /ledgers}), {@code rollBytes} (roll the ledger after this many bytes, 64 MiB),
 * {@code rewritePercent} (at reclaim, rewrite the live records of an old ledger and delete it when they are
 * under this share of its bytes, 50), {@code sessionTimeoutMs} (ZooKeeper session, 15000), {@code sweepIntervalMs}
 * (how often a leader sweeps leaked ledgers after the sweep that follows its claim, 600000; 0: only after a
 * claim).
 *
 * <p>Invariants: {@code ackQuorum <= writeQuorum <= ensemble}; the base path is absolute and not the root.
 *
 * <p>Thread safety: immutable.
 *
 * @param zkConnect the ZooKeeper connect string
 * @param basePath the page log's znode
 * @param ensemble bookies per ledger
 * @param writeQuorum copies of each entry
 * @param ackQuorum acknowledgements before an add is durable
 * @param ledgersRoot the bookies' root znode
 * @param rollBytes ledger size that triggers a roll
 * @param rewritePercent live share under which an old ledger is rewritten and deleted at reclaim
 * @param sessionTimeoutMs ZooKeeper session timeout
 * @param sweepIntervalMs period of the leader's sweeps of leaked ledgers (0: only after each claim)
 */
public record PageLogUri(
        String zkConnect,
        String basePath,
        int ensemble,
        int writeQuorum,
        int ackQuorum,
        String ledgersRoot,
        long rollBytes,
        int rewritePercent,
        int sessionTimeoutMs,
        long sweepIntervalMs) {
    /** The URI scheme. */
    public static final String SCHEME = "bookkeeper";

    private static final Set<String> KEYS = Set.of(
            "ensemble",
            "writeQuorum",
            "ackQuorum",
            "ledgersRoot",
            "rollBytes",
            "rewritePercent",
            "sessionTimeoutMs",
            "sweepIntervalMs");

    /** Parses {@code uri}; a malformed URI fails with {@code INVALID_ARGUMENT} naming it. */
    public static PageLogUri parse(URI uri) {
        if (!SCHEME.equals(uri.getScheme())) {
            throw bad(uri, "the scheme must be " + SCHEME);
        }
        String authority = uri.getRawAuthority();
        String path = uri.getPath();
        if (authority == null || authority.isEmpty()) {
            throw bad(uri, "it names no ZooKeeper host, e.g. bookkeeper://127.0.0.1:2181/strata/db1");
        }
        if (path == null || path.length() < 2 || path.endsWith("/") || path.contains("//")) {
            throw bad(uri, "it needs a base path such as /strata/db1");
        }
        Map<String, String> q = new HashMap<>();
        String query = uri.getQuery();
        if (query != null && !query.isEmpty()) {
            for (String kv : query.split("&", -1)) {
                int eq = kv.indexOf('=');
                if (eq <= 0 || !KEYS.contains(kv.substring(0, eq))) {
                    throw bad(uri, "unknown option '" + kv + "'; known: " + KEYS);
                }
                q.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        try {
            int ensemble = Integer.parseInt(q.getOrDefault("ensemble", "3"));
            int wq = Integer.parseInt(q.getOrDefault("writeQuorum", Integer.toString(Math.min(3, ensemble))));
            int aq = Integer.parseInt(q.getOrDefault("ackQuorum", Integer.toString(Math.min(2, wq))));
            if (aq < 1 || aq > wq || wq > ensemble) {
                throw bad(uri, "needs 1 <= ackQuorum <= writeQuorum <= ensemble");
            }
            String root = q.getOrDefault("ledgersRoot", "/ledgers");
            long roll = Long.parseLong(q.getOrDefault("rollBytes", Long.toString(64L << 20)));
            int rewrite = Integer.parseInt(q.getOrDefault("rewritePercent", "50"));
            int session = Integer.parseInt(q.getOrDefault("sessionTimeoutMs", "15000"));
            long sweep = Long.parseLong(q.getOrDefault("sweepIntervalMs", "600000"));
            if (roll < 1024 || rewrite < 0 || rewrite > 100 || session < 1000 || sweep < 0 || !root.startsWith("/")) {
                throw bad(
                        uri,
                        "rollBytes >= 1024, 0 <= rewritePercent <= 100, sessionTimeoutMs >= 1000,"
                                + " sweepIntervalMs >= 0 and an absolute ledgersRoot are required");
            }
            return new PageLogUri(authority, path, ensemble, wq, aq, root, roll, rewrite, session, sweep);
        } catch (NumberFormatException e) {
            throw bad(uri, "a numeric option is not a number (" + e.getMessage() + ")");
        }
    }

    /** The metadata service URI BookKeeper clients use. */
    public String metadataServiceUri() {
        return "zk+null://" + zkConnect.replace(',', ';') + ledgersRoot;
    }

    private static StrataException bad(URI uri, String why) {
        return new StrataException(ErrorCode.INVALID_ARGUMENT, "bad bookkeeper: page-log URI '" + uri + "': " + why);
    }
}
