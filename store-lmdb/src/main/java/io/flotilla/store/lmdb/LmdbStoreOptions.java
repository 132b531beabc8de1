package io.flotilla.store.lmdb;

import io.flotilla.InvalidConfigException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Options of the {@code lmdb:} storage backend, given in code or as URI query parameters:
 * <pre>{@code
 * lmdb:///var/raft/n1?mapSizeBytes=67108864&maxMapSizeBytes=17179869184&sync=durable
 * }</pre>
 *
 * <h2>Map size</h2>
 * An LMDB environment is one memory-mapped file whose largest size (the "map size") is fixed while it is open.
 * The store opens it with {@link #mapSizeBytes} (or the size the file already has, if larger) and, when a write
 * transaction finds the map full, aborts that transaction (nothing of it is written), doubles the map size up to
 * {@link #maxMapSizeBytes} and runs it again. At the ceiling the write fails with
 * {@link io.flotilla.spi.StorageFullException} and the store is unchanged. The data file only grows as pages are
 * used; the map size is address space, not disk.
 *
 * <h2>Durability</h2>
 * {@link SyncMode#DURABLE} (the default) commits every write transaction with LMDB's full flush of data and meta
 * pages (no {@code MDB_NOSYNC}, no {@code MDB_NOMETASYNC}). {@link SyncMode#UNSAFE_NO_FSYNC_FOR_TESTS} opens the
 * environment with {@code MDB_NOSYNC}: a process crash loses nothing, a power failure can lose acknowledged data,
 * which breaks Raft's safety. It exists only to make tests faster.
 *
 * <p>Immutable and thread-safe. Invalid values fail with an {@link InvalidConfigException} listing every
 * violation.
 *
 * @param mapSizeBytes the initial map size, from 1 MiB to {@code maxMapSizeBytes}
 * @param maxMapSizeBytes the largest map size growth may reach, at most 1 TiB
 * @param sync whether commits are flushed to stable storage
 */
public record LmdbStoreOptions(long mapSizeBytes, long maxMapSizeBytes, SyncMode sync) {

    /** Default initial map size: 64 MiB. */
    public static final long DEFAULT_MAP_SIZE_BYTES = 64L << 20;
    /** Default map size ceiling: 16 GiB. */
    public static final long DEFAULT_MAX_MAP_SIZE_BYTES = 16L << 30;
    /** Smallest allowed map size: 1 MiB. */
    public static final long MIN_MAP_SIZE_BYTES = 1L << 20;
    /** Largest allowed map size: 1 TiB. */
    public static final long MAX_MAP_SIZE_BYTES = 1L << 40;

    /** How commits reach stable storage. */
    public enum SyncMode {
        /** LMDB's durable commit: data pages and then the meta page are flushed before a commit returns. */
        DURABLE,
        /** {@code MDB_NOSYNC}: never flush. Loses acknowledged data on power failure; for tests only. */
        UNSAFE_NO_FSYNC_FOR_TESTS
    }

    /**
     * Validates the options.
     *
     * @param mapSizeBytes the initial map size
     * @param maxMapSizeBytes the map size ceiling
     * @param sync the sync mode
     * @throws InvalidConfigException listing every invalid value
     */
    public LmdbStoreOptions {
        List<String> problems = validate(mapSizeBytes, maxMapSizeBytes);
        if (sync == null) {
            problems.add("sync must not be null");
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException("LmdbStoreOptions", problems);
        }
    }

    private static List<String> validate(long map, long max) {
        List<String> problems = new ArrayList<>();
        if (map < MIN_MAP_SIZE_BYTES || map > MAX_MAP_SIZE_BYTES) {
            problems.add("mapSizeBytes must be in [" + MIN_MAP_SIZE_BYTES + ", " + MAX_MAP_SIZE_BYTES + "], got " + map);
        }
        if (max < MIN_MAP_SIZE_BYTES || max > MAX_MAP_SIZE_BYTES) {
            problems.add("maxMapSizeBytes must be in [" + MIN_MAP_SIZE_BYTES + ", " + MAX_MAP_SIZE_BYTES + "], got "
                    + max);
        }
        if (max < map) {
            problems.add("maxMapSizeBytes (" + max + ") must be at least mapSizeBytes (" + map + ")");
        }
        return problems;
    }

    /**
     * Returns the defaults: a 64 MiB map growing up to 16 GiB, durable commits.
     *
     * @return the default options
     */
    public static LmdbStoreOptions defaults() {
        return new LmdbStoreOptions(DEFAULT_MAP_SIZE_BYTES, DEFAULT_MAX_MAP_SIZE_BYTES, SyncMode.DURABLE);
    }

    /**
     * Returns a copy with another initial map size.
     *
     * @param bytes the initial map size
     * @return the new options
     * @throws InvalidConfigException if the size is invalid
     */
    public LmdbStoreOptions withMapSizeBytes(long bytes) {
        return new LmdbStoreOptions(bytes, maxMapSizeBytes, sync);
    }

    /**
     * Returns a copy with another map size ceiling.
     *
     * @param bytes the ceiling
     * @return the new options
     * @throws InvalidConfigException if the ceiling is invalid
     */
    public LmdbStoreOptions withMaxMapSizeBytes(long bytes) {
        return new LmdbStoreOptions(mapSizeBytes, bytes, sync);
    }

    /**
     * Returns a copy with another sync mode.
     *
     * @param mode the sync mode
     * @return the new options
     * @throws InvalidConfigException if the mode is null
     */
    public LmdbStoreOptions withSync(SyncMode mode) {
        return new LmdbStoreOptions(mapSizeBytes, maxMapSizeBytes, mode);
    }

    /**
     * Parses options from a location's query: {@code mapSizeBytes}, {@code maxMapSizeBytes} (decimal bytes) and
     * {@code sync} ({@code durable} or {@code unsafe_no_fsync_for_tests}); absent keys keep their defaults. A
     * larger {@code mapSizeBytes} alone raises the ceiling to match.
     *
     * @param location an {@code lmdb:} URI (hierarchical or opaque)
     * @return the options
     * @throws InvalidConfigException listing every unknown key, unparsable value and invalid value
     */
    public static LmdbStoreOptions fromUri(URI location) {
        LmdbStoreOptions d = defaults();
        long map = d.mapSizeBytes();
        Long max = null;
        SyncMode mode = d.sync();
        List<String> problems = new ArrayList<>();
        String query = location.isOpaque() ? query(location.getRawSchemeSpecificPart()) : location.getRawQuery();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                switch (key) {
                    case "mapSizeBytes":
                        map = parseLong(key, value, problems, map);
                        break;
                    case "maxMapSizeBytes":
                        max = parseLong(key, value, problems, d.maxMapSizeBytes());
                        break;
                    case "sync":
                        try {
                            mode = SyncMode.valueOf(value.toUpperCase(Locale.ROOT));
                        } catch (IllegalArgumentException e) {
                            problems.add("sync must be durable or unsafe_no_fsync_for_tests, got \"" + value + "\"");
                        }
                        break;
                    default:
                        problems.add("unknown option \"" + key + "\" (known: mapSizeBytes, maxMapSizeBytes, sync)");
                }
            }
        }
        long ceiling = max != null ? max : Math.max(map, d.maxMapSizeBytes());
        problems.addAll(validate(map, ceiling));
        if (!problems.isEmpty()) {
            throw new InvalidConfigException("LmdbStoreOptions from " + location, problems);
        }
        return new LmdbStoreOptions(map, ceiling, mode);
    }

    private static String query(String rawSsp) {
        int q = rawSsp.indexOf('?');
        return q < 0 ? null : rawSsp.substring(q + 1);
    }

    private static long parseLong(String key, String value, List<String> problems, long fallback) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            problems.add(key + " must be a whole number of bytes, got \"" + value + "\"");
            return fallback;
        }
    }
}
