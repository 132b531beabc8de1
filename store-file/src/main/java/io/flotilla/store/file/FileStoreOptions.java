package io.flotilla.store.file;

import io.flotilla.InvalidConfigException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Options of the {@code file:} storage backend, given in code or as URI query parameters:
 * <pre>{@code
 * file:///var/raft/n1?segmentBytes=67108864&cacheBytes=33554432&sync=durable
 * }</pre>
 *
 * <h2>Durability</h2>
 * {@link SyncMode#DURABLE} (the default) flushes every append, truncation, compaction, hard-state save and
 * snapshot commit to stable storage before the call returns. {@link SyncMode#UNSAFE_NO_FSYNC_FOR_TESTS} skips every
 * flush: data survives a process crash but not a power failure, which breaks Raft's safety. It exists only to
 * make tests faster.
 *
 * <p>Immutable and thread-safe. Invalid values fail with an {@link InvalidConfigException} listing every
 * violation.
 *
 * @param segmentBytes the size of each preallocated log segment file, from 4 KiB to 1 GiB; a segment holds at
 *     least one record, however large
 * @param cacheBytes the memory budget of the cache of log entries read from disk or recently appended, from 0
 *     (no cache) to 1 TiB; the rest of the in-memory index is sparse and small
 * @param sync whether writes are flushed to stable storage
 */
public record FileStoreOptions(int segmentBytes, long cacheBytes, SyncMode sync) {

    /** Default segment size: 64 MiB. */
    public static final int DEFAULT_SEGMENT_BYTES = 64 << 20;
    /** Default cache budget: 32 MiB. */
    public static final long DEFAULT_CACHE_BYTES = 32L << 20;
    /** Smallest allowed segment size: 4 KiB. */
    public static final int MIN_SEGMENT_BYTES = 4096;
    /** Largest allowed segment size: 1 GiB. */
    public static final int MAX_SEGMENT_BYTES = 1 << 30;

    /** How writes reach stable storage. */
    public enum SyncMode {
        /** Flush ({@code fdatasync}/{@code fsync}) before every write call returns. The default. */
        DURABLE,
        /** Never flush. Loses acknowledged data on power failure; for tests only. */
        UNSAFE_NO_FSYNC_FOR_TESTS
    }

    /**
     * Validates the options.
     *
     * @param segmentBytes the segment size
     * @param cacheBytes the cache budget
     * @param sync the sync mode
     * @throws InvalidConfigException listing every invalid value
     */
    public FileStoreOptions {
        List<String> problems = new ArrayList<>();
        if (segmentBytes < MIN_SEGMENT_BYTES || segmentBytes > MAX_SEGMENT_BYTES) {
            problems.add("segmentBytes must be in [" + MIN_SEGMENT_BYTES + ", " + MAX_SEGMENT_BYTES + "], got "
                    + segmentBytes);
        }
        if (cacheBytes < 0 || cacheBytes > (1L << 40)) {
            problems.add("cacheBytes must be in [0, 1099511627776], got " + cacheBytes);
        }
        if (sync == null) {
            problems.add("sync must not be null");
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException("FileStoreOptions", problems);
        }
    }

    /**
     * Returns the defaults: 64 MiB segments, a 32 MiB cache, durable writes.
     *
     * @return the default options
     */
    public static FileStoreOptions defaults() {
        return new FileStoreOptions(DEFAULT_SEGMENT_BYTES, DEFAULT_CACHE_BYTES, SyncMode.DURABLE);
    }

    /**
     * Returns a copy with another segment size.
     *
     * @param bytes the segment size
     * @return the new options
     * @throws InvalidConfigException if the size is invalid
     */
    public FileStoreOptions withSegmentBytes(int bytes) {
        return new FileStoreOptions(bytes, cacheBytes, sync);
    }

    /**
     * Returns a copy with another cache budget.
     *
     * @param bytes the cache budget
     * @return the new options
     * @throws InvalidConfigException if the budget is invalid
     */
    public FileStoreOptions withCacheBytes(long bytes) {
        return new FileStoreOptions(segmentBytes, bytes, sync);
    }

    /**
     * Returns a copy with another sync mode.
     *
     * @param mode the sync mode
     * @return the new options
     * @throws InvalidConfigException if the mode is null
     */
    public FileStoreOptions withSync(SyncMode mode) {
        return new FileStoreOptions(segmentBytes, cacheBytes, mode);
    }

    /**
     * Parses options from a location's query: {@code segmentBytes}, {@code cacheBytes} (decimal bytes) and
     * {@code sync} ({@code durable} or {@code unsafe_no_fsync_for_tests}); absent keys keep their defaults.
     *
     * @param location a {@code file:} URI
     * @return the options
     * @throws InvalidConfigException listing every unknown key, unparsable value and invalid value
     */
    public static FileStoreOptions fromUri(URI location) {
        FileStoreOptions d = defaults();
        long segment = d.segmentBytes();
        long cache = d.cacheBytes();
        SyncMode mode = d.sync();
        List<String> problems = new ArrayList<>();
        String query = location.getRawQuery();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                switch (key) {
                    case "segmentBytes":
                        segment = parseLong(key, value, problems, segment);
                        break;
                    case "cacheBytes":
                        cache = parseLong(key, value, problems, cache);
                        break;
                    case "sync":
                        try {
                            mode = SyncMode.valueOf(value.toUpperCase(Locale.ROOT));
                        } catch (IllegalArgumentException e) {
                            problems.add("sync must be durable or unsafe_no_fsync_for_tests, got \"" + value + "\"");
                        }
                        break;
                    default:
                        problems.add("unknown option \"" + key + "\" (known: segmentBytes, cacheBytes, sync)");
                }
            }
        }
        if (segment < MIN_SEGMENT_BYTES || segment > MAX_SEGMENT_BYTES) {
            problems.add("segmentBytes must be in [" + MIN_SEGMENT_BYTES + ", " + MAX_SEGMENT_BYTES + "], got "
                    + segment);
        }
        if (cache < 0 || cache > (1L << 40)) {
            problems.add("cacheBytes must be in [0, 1099511627776], got " + cache);
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException("FileStoreOptions from " + location, problems);
        }
        return new FileStoreOptions((int) segment, cache, mode);
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
