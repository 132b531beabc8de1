package io.flotilla.wire.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Upper bounds the codec enforces on both sides: an encoder refuses to produce, and a decoder refuses to accept,
 * anything larger. Immutable and thread-safe.
 *
 * @param maxMessageBytes the largest encoded envelope, in bytes
 * @param maxEntriesPerMessage the most log entries one AppendEntries request may carry
 */
public record WireLimits(int maxMessageBytes, int maxEntriesPerMessage) {
    /** The smallest accepted {@link #maxMessageBytes()}: room for a header and a small snapshot chunk. */
    public static final int MIN_MESSAGE_BYTES = 4096;

    /** Default limits: 16 MiB per message, 100,000 entries per append. */
    public static final WireLimits DEFAULT = new WireLimits(16 * 1024 * 1024, 100_000);

    /**
     * Validates the limits.
     *
     * @param maxMessageBytes the largest encoded envelope
     * @param maxEntriesPerMessage the most entries per append
     * @throws IllegalArgumentException if a limit is out of range
     */
    public WireLimits {
        List<String> problems = new ArrayList<>();
        if (maxMessageBytes < MIN_MESSAGE_BYTES) {
            problems.add("maxMessageBytes must be >= " + MIN_MESSAGE_BYTES + ", got " + maxMessageBytes);
        }
        if (maxEntriesPerMessage < 1) {
            problems.add("maxEntriesPerMessage must be >= 1, got " + maxEntriesPerMessage);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid wire limits: " + String.join("; ", problems));
        }
    }
}
