package io.flotilla;

import java.util.Objects;

/**
 * One entry of the replicated log: its position, the term of the leader that created it, what it carries and
 * the payload.
 *
 * <p>Two entries with the same index and term are identical in every replica (Log Matching, §5.3).
 *
 * @param index the 1-based log index
 * @param term the term of the leader that appended the entry, at least 0
 * @param kind what the payload is
 * @param payload the command, encoded configuration, or {@link Bytes#EMPTY} for a no-op
 */
public record LogEntry(long index, long term, EntryKind kind, Bytes payload) {
    /** Bytes of bookkeeping counted per entry on top of the payload by {@link #sizeBytes()}. */
    public static final int OVERHEAD_BYTES = 24;

    /**
     * Validates the entry.
     *
     * @param index the 1-based log index
     * @param term the term, at least 0
     * @param kind what the payload is
     * @param payload the payload
     * @throws IllegalArgumentException if {@code index < 1} or {@code term < 0}
     */
    public LogEntry {
        if (index < 1) {
            throw new IllegalArgumentException("index must be >= 1, got " + index);
        }
        if (term < 0) {
            throw new IllegalArgumentException("term must be >= 0, got " + term);
        }
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(payload, "payload");
    }

    /**
     * Returns a command entry.
     *
     * @param index the log index
     * @param term the term
     * @param command the application command
     * @return the entry
     */
    public static LogEntry command(long index, long term, Bytes command) {
        return new LogEntry(index, term, EntryKind.COMMAND, command);
    }

    /**
     * Returns a no-op entry.
     *
     * @param index the log index
     * @param term the term
     * @return the entry
     */
    public static LogEntry noOp(long index, long term) {
        return new LogEntry(index, term, EntryKind.NO_OP, Bytes.EMPTY);
    }

    /**
     * Returns a configuration entry.
     *
     * @param index the log index
     * @param term the term
     * @param config the configuration it carries
     * @return the entry
     */
    public static LogEntry configuration(long index, long term, ClusterConfig config) {
        return new LogEntry(index, term, EntryKind.CONFIGURATION, config.toBytes());
    }

    /**
     * Returns the size used for byte budgets (batches, in-flight windows, {@code maxBytes} reads): the payload
     * size plus {@link #OVERHEAD_BYTES}.
     *
     * @return the accounted size in bytes
     */
    public long sizeBytes() {
        return (long) payload.size() + OVERHEAD_BYTES;
    }
}
