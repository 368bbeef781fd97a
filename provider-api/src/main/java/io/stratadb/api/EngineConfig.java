package io.stratadb.api;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * How to open a database: the settings of the {@code jdbc:strata:} URL, usable directly from the SPI.
 *
 * <p>Invariants: {@code path == null} means an in-memory database (its page log is in memory too unless given);
 * {@code cacheBytes > 0}; {@code nodeId} is non-empty.
 *
 * <p>Thread safety: immutable.
 *
 * @param path local directory, or null for in memory
 * @param pageLog page-log URI, or null for the default ({@code file:<path>/pagelog}, or in memory)
 * @param role role to open in
 * @param durability when commits are acknowledged
 * @param timestamps who assigns timestamps
 * @param cacheBytes cache budget in bytes
 * @param nodeId this node's id in the shared page log
 * @param autoPickup whether a follower picks up new checkpoints by itself
 * @param options further provider-specific settings
 * @since 0.1
 */
public record EngineConfig(
        @Nullable Path path,
        @Nullable URI pageLog,
        Role role,
        Durability durability,
        TimestampMode timestamps,
        long cacheBytes,
        String nodeId,
        boolean autoPickup,
        Map<String, String> options) {

    /** The default cache budget, 256 MiB. */
    public static final long DEFAULT_CACHE = 256L << 20;

    public EngineConfig {
        options = Map.copyOf(options);
        if (cacheBytes <= 0) {
            throw new StrataException(ErrorCode.INVALID_ARGUMENT, "cache must be positive, got " + cacheBytes);
        }
        if (role != Role.LEADER && role != Role.FOLLOWER) {
            throw new StrataException(ErrorCode.INVALID_ARGUMENT, "a node opens as LEADER or FOLLOWER, not " + role);
        }
        if (nodeId.isEmpty()) {
            throw new StrataException(ErrorCode.INVALID_ARGUMENT, "node id is empty");
        }
    }

    /** An in-memory leader database with default settings. */
    public static EngineConfig inMemory() {
        return builder().build();
    }

    /** A database in {@code dir} with default settings. */
    public static EngineConfig at(Path dir) {
        return builder().path(dir).build();
    }

    /** A builder with the defaults of the contract. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Parses URL-style properties ({@code path}, {@code pagelog}, {@code role}, {@code durability}, {@code
     * timestamps}, {@code cache}, {@code node}, {@code pickup}); other keys go to {@link #options()}. Bad values
     * fail with {@link ErrorCode#INVALID_ARGUMENT} naming the key.
     */
    public static EngineConfig fromProperties(Map<String, String> props) {
        Builder b = builder();
        Map<String, String> rest = new TreeMap<>();
        for (Map.Entry<String, String> e : props.entrySet()) {
            String key = e.getKey().toLowerCase(Locale.ROOT);
            String v = e.getValue().trim();
            switch (key) {
                case "path" -> b.path(v.isEmpty() ? null : Path.of(v));
                case "pagelog" -> b.pageLog(parseUri(v));
                case "role" -> b.role(parseEnum(Role.class, key, v));
                case "durability" -> b.durability(parseEnum(Durability.class, key, v));
                case "timestamps" -> b.timestamps(parseEnum(TimestampMode.class, key, v));
                case "cache" -> b.cacheBytes(parseSize(v));
                case "node" -> b.nodeId(v);
                case "pickup" -> b.autoPickup(parseBoolean(key, v));
                default -> rest.put(e.getKey(), v);
            }
        }
        return b.options(rest).build();
    }

    /** The page log's URI, resolving the default. */
    public URI pageLogUri() {
        if (pageLog != null) {
            return pageLog;
        }
        return path == null
                ? URI.create("memory:" + nodeId)
                : path.resolve("pagelog").toUri();
    }

    /** Parses sizes such as {@code 1048576}, {@code 64k}, {@code 256m} or {@code 2g}. */
    public static long parseSize(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        long mult = 1;
        if (s.endsWith("b")) {
            s = s.substring(0, s.length() - 1);
        }
        if (!s.isEmpty()) {
            char last = s.charAt(s.length() - 1);
            mult = switch (last) {
                case 'k' -> 1L << 10;
                case 'm' -> 1L << 20;
                case 'g' -> 1L << 30;
                default -> 1;
            };
            if (mult != 1) {
                s = s.substring(0, s.length() - 1);
            }
        }
        try {
            long n = Long.parseLong(s.trim());
            if (n <= 0 || n > Long.MAX_VALUE / mult) {
                throw new NumberFormatException();
            }
            return n * mult;
        } catch (NumberFormatException e) {
            throw new StrataException(ErrorCode.INVALID_ARGUMENT, "bad size for cache: '" + v + "'", e);
        }
    }

    private static URI parseUri(String v) {
        try {
            URI u = URI.create(v);
            if (u.getScheme() == null) {
                return Path.of(v).toAbsolutePath().toUri();
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new StrataException(ErrorCode.INVALID_ARGUMENT, "bad page-log URI: '" + v + "'", e);
        }
    }

    private static boolean parseBoolean(String key, String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes", "auto" -> true;
            case "false", "off", "no", "manual" -> false;
            default -> throw new StrataException(ErrorCode.INVALID_ARGUMENT, "bad value for " + key + ": '" + v + "'");
        };
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String key, String v) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v)) {
                return e;
            }
        }
        throw new StrataException(ErrorCode.INVALID_ARGUMENT, "bad value for " + key + ": '" + v + "'");
    }

    /**
     * A mutable builder of {@link EngineConfig}.
     *
     * <p>Thread safety: not thread-safe.
     */
    public static final class Builder {
        private @Nullable Path path;
        private @Nullable URI pageLog;
        private Role role = Role.LEADER;
        private @Nullable Durability durability;
        private TimestampMode timestamps = TimestampMode.AUTO;
        private long cacheBytes = DEFAULT_CACHE;
        private String nodeId = "node-1";
        private boolean autoPickup = true;
        private Map<String, String> options = Map.of();

        private Builder() {}

        public Builder path(@Nullable Path v) {
            path = v == null ? null : v.toAbsolutePath();
            return this;
        }

        public Builder pageLog(@Nullable URI v) {
            pageLog = v;
            return this;
        }

        public Builder role(Role v) {
            role = v;
            return this;
        }

        /** Defaults to FSYNC for a database on disk and NONE in memory. */
        public Builder durability(Durability v) {
            durability = v;
            return this;
        }

        public Builder timestamps(TimestampMode v) {
            timestamps = v;
            return this;
        }

        public Builder cacheBytes(long v) {
            cacheBytes = v;
            return this;
        }

        public Builder nodeId(String v) {
            nodeId = v;
            return this;
        }

        public Builder autoPickup(boolean v) {
            autoPickup = v;
            return this;
        }

        public Builder options(Map<String, String> v) {
            options = v;
            return this;
        }

        public EngineConfig build() {
            Durability d = durability != null ? durability : path == null ? Durability.NONE : Durability.FSYNC;
            return new EngineConfig(path, pageLog, role, d, timestamps, cacheBytes, nodeId, autoPickup, options);
        }
    }
}
