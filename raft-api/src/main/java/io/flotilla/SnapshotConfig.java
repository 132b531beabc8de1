package io.flotilla;

import java.util.ArrayList;
import java.util.List;

/**
 * When a node takes snapshots and compacts its log (§7), and how a leader sends a snapshot to a follower that fell
 * behind the log. Part of {@link RaftConfig#snapshots()}. Immutable; build with {@link #newBuilder()}. Every field
 * name carries its unit.
 *
 * <p>A node takes a snapshot once {@code thresholdEntries} entries, or {@code thresholdBytes} bytes of entries,
 * were applied since its last one, whichever comes first; it then compacts its log up to the snapshot, minus
 * {@code trailingEntries} so that a follower that is only a little behind is caught up from the log rather than
 * with a snapshot. Snapshots are written in the background; the event loop never waits for one.
 *
 * <p>With a state machine that writes deltas ({@link io.flotilla.spi.StateMachine#prepareDelta}) and a store with
 * incremental snapshots, most snapshots are deltas; once the chain holds {@code maxDeltaChain} deltas it is merged
 * in the background ({@link io.flotilla.spi.StateMachine#mergeSnapshot}) or the next snapshot is taken in full.
 *
 * @param thresholdEntries applied entries since the last snapshot that trigger a new one; 0 disables the
 *     entry trigger; default 100,000
 * @param thresholdBytes bytes of applied entries since the last snapshot that trigger a new one; 0 disables the
 *     byte trigger; default 256 MiB
 * @param trailingEntries entries kept in the log below the snapshot index (the catch-up margin); default 10,000
 * @param chunkBytes size of one InstallSnapshot chunk; default 1 MiB
 * @param maxInflightChunks InstallSnapshot chunks sent ahead of the follower's acknowledgement (flow control);
 *     default 4
 * @param installRateBytesPerSecond most snapshot bytes sent per second to one follower; 0 means unthrottled;
 *     default 0
 * @param maxDeltaChain most deltas on one full base before the chain is merged; default 8
 */
public record SnapshotConfig(
        long thresholdEntries,
        long thresholdBytes,
        long trailingEntries,
        int chunkBytes,
        int maxInflightChunks,
        long installRateBytesPerSecond,
        int maxDeltaChain) {

    /**
     * Validates the settings, reporting every violation at once.
     *
     * @param thresholdEntries entry trigger
     * @param thresholdBytes byte trigger
     * @param trailingEntries catch-up margin
     * @param chunkBytes chunk size
     * @param maxInflightChunks chunk window
     * @param installRateBytesPerSecond throttle
     * @param maxDeltaChain delta chain bound
     * @throws InvalidConfigException listing every violated rule
     */
    public SnapshotConfig {
        List<String> v = new ArrayList<>();
        if (thresholdEntries < 0) {
            v.add("thresholdEntries must be >= 0, got " + thresholdEntries);
        }
        if (thresholdBytes < 0) {
            v.add("thresholdBytes must be >= 0, got " + thresholdBytes);
        }
        if (trailingEntries < 0) {
            v.add("trailingEntries must be >= 0, got " + trailingEntries);
        }
        if (chunkBytes < 1024 || chunkBytes > (64 << 20)) {
            v.add("chunkBytes must be in [1 KiB, 64 MiB], got " + chunkBytes);
        }
        if (maxInflightChunks < 1) {
            v.add("maxInflightChunks must be >= 1, got " + maxInflightChunks);
        }
        if (installRateBytesPerSecond < 0) {
            v.add("installRateBytesPerSecond must be >= 0 (0 = unthrottled), got " + installRateBytesPerSecond);
        } else if (installRateBytesPerSecond > 0 && installRateBytesPerSecond < chunkBytes) {
            v.add("installRateBytesPerSecond (" + installRateBytesPerSecond + ") must be 0 or >= chunkBytes ("
                    + chunkBytes + ")");
        }
        if (maxDeltaChain < 0) {
            v.add("maxDeltaChain must be >= 0, got " + maxDeltaChain);
        }
        if (!v.isEmpty()) {
            throw new InvalidConfigException("SnapshotConfig", v);
        }
    }

    /**
     * Returns the defaults.
     *
     * @return the default settings
     */
    public static SnapshotConfig defaults() {
        return newBuilder().build();
    }

    /**
     * Returns a builder holding the defaults.
     *
     * @return a builder
     */
    public static Builder newBuilder() {
        return new Builder();
    }

    /**
     * Returns a builder holding these settings.
     *
     * @return a builder
     */
    public Builder toBuilder() {
        return new Builder().thresholdEntries(thresholdEntries).thresholdBytes(thresholdBytes)
                .trailingEntries(trailingEntries).chunkBytes(chunkBytes).maxInflightChunks(maxInflightChunks)
                .installRateBytesPerSecond(installRateBytesPerSecond).maxDeltaChain(maxDeltaChain);
    }

    /** Builds a {@link SnapshotConfig}; validation happens in {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private long thresholdEntries = 100_000;
        private long thresholdBytes = 256L << 20;
        private long trailingEntries = 10_000;
        private int chunkBytes = 1 << 20;
        private int maxInflightChunks = 4;
        private long installRateBytesPerSecond;
        private int maxDeltaChain = 8;

        private Builder() {}

        /**
         * Sets the entry trigger.
         *
         * @param thresholdEntries at least 0; 0 disables it
         * @return this builder
         */
        public Builder thresholdEntries(long thresholdEntries) {
            this.thresholdEntries = thresholdEntries;
            return this;
        }

        /**
         * Sets the byte trigger.
         *
         * @param thresholdBytes at least 0; 0 disables it
         * @return this builder
         */
        public Builder thresholdBytes(long thresholdBytes) {
            this.thresholdBytes = thresholdBytes;
            return this;
        }

        /**
         * Sets the catch-up margin kept in the log below the snapshot.
         *
         * @param trailingEntries at least 0
         * @return this builder
         */
        public Builder trailingEntries(long trailingEntries) {
            this.trailingEntries = trailingEntries;
            return this;
        }

        /**
         * Sets the InstallSnapshot chunk size.
         *
         * @param chunkBytes in [1 KiB, 64 MiB]
         * @return this builder
         */
        public Builder chunkBytes(int chunkBytes) {
            this.chunkBytes = chunkBytes;
            return this;
        }

        /**
         * Sets how many chunks may be unacknowledged.
         *
         * @param maxInflightChunks at least 1
         * @return this builder
         */
        public Builder maxInflightChunks(int maxInflightChunks) {
            this.maxInflightChunks = maxInflightChunks;
            return this;
        }

        /**
         * Sets the per-follower send rate limit.
         *
         * @param installRateBytesPerSecond 0 (unthrottled) or at least {@code chunkBytes}
         * @return this builder
         */
        public Builder installRateBytesPerSecond(long installRateBytesPerSecond) {
            this.installRateBytesPerSecond = installRateBytesPerSecond;
            return this;
        }

        /**
         * Sets the delta chain bound.
         *
         * @param maxDeltaChain at least 0; 0 means every snapshot is full
         * @return this builder
         */
        public Builder maxDeltaChain(int maxDeltaChain) {
            this.maxDeltaChain = maxDeltaChain;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the settings
         * @throws InvalidConfigException listing every violated rule
         */
        public SnapshotConfig build() {
            return new SnapshotConfig(thresholdEntries, thresholdBytes, trailingEntries, chunkBytes,
                    maxInflightChunks, installRateBytesPerSecond, maxDeltaChain);
        }
    }
}
