package io.flotilla;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Tuning of the Raft protocol on one node. Immutable; build with {@link #newBuilder()} or start from
 * {@link #defaults()}. Every field name carries its unit (ticks, bytes, a count, a {@link Duration}).
 *
 * <p>Timing is measured in <em>ticks</em> of the node's logical clock; a tick lasts {@link #tickInterval()}.
 * Each node waits a random number of ticks in {@code [electionTicks, 2 * electionTicks)} without hearing
 * from a leader before it campaigns (§5.2). The paper's timing requirement {@code broadcastTime <<
 * electionTimeout} means {@code heartbeatTicks} should be several times smaller than {@code electionTicks}.
 * See {@code docs/configuration.md} for when to change each field.
 *
 * @param tickInterval wall-clock length of one tick; default 10 ms
 * @param electionTicks minimum election timeout in ticks; default 30 (300–600 ms with the default tick)
 * @param heartbeatTicks interval between leader heartbeats in ticks; default 5 (50 ms)
 * @param preVote whether candidates first run a pre-vote that does not raise terms (thesis §9.6); default on
 * @param checkQuorum whether a leader steps down after an election timeout without hearing from a quorum,
 *     and followers ignore vote requests while they hear from a leader (thesis §6.2, §4.2.3); default on
 * @param maxAppendEntries most entries in one AppendEntries message; default 4096
 * @param maxAppendBytes most bytes of entries in one AppendEntries message (a single larger entry is still
 *     sent alone); default 1 MiB
 * @param maxInflightAppends most AppendEntries messages in flight to one follower (pipelining window);
 *     default 256
 * @param maxInflightBytes most bytes of entries in flight to one follower; default 32 MiB
 * @param maxCommandBytes largest accepted command; larger proposals fail with {@link ProposalDroppedException};
 *     default 8 MiB
 * @param maxPendingProposals most proposals waiting to be appended on the leader before new ones are dropped
 *     (back-pressure); default 65,536
 * @param snapshots when to snapshot and compact, and how snapshots are sent; default {@link SnapshotConfig#defaults()}
 */
public record RaftConfig(
        Duration tickInterval,
        int electionTicks,
        int heartbeatTicks,
        boolean preVote,
        boolean checkQuorum,
        int maxAppendEntries,
        long maxAppendBytes,
        int maxInflightAppends,
        long maxInflightBytes,
        int maxCommandBytes,
        int maxPendingProposals,
        SnapshotConfig snapshots) {

    /**
     * Validates the configuration, reporting every violation at once.
     *
     * @param tickInterval tick length
     * @param electionTicks election timeout in ticks
     * @param heartbeatTicks heartbeat interval in ticks
     * @param preVote pre-vote on or off
     * @param checkQuorum check-quorum on or off
     * @param maxAppendEntries entries per append
     * @param maxAppendBytes bytes per append
     * @param maxInflightAppends appends in flight per follower
     * @param maxInflightBytes bytes in flight per follower
     * @param maxCommandBytes largest command
     * @param maxPendingProposals proposal queue bound
     * @param snapshots snapshot settings, not null
     * @throws InvalidConfigException listing every violated rule
     */
    public RaftConfig {
        List<String> v = new ArrayList<>();
        if (tickInterval == null || tickInterval.isNegative() || tickInterval.isZero()) {
            v.add("tickInterval must be positive, got " + tickInterval);
        } else if (tickInterval.toNanos() < 1_000_000L) {
            v.add("tickInterval must be at least 1 ms, got " + tickInterval);
        }
        if (heartbeatTicks < 1) {
            v.add("heartbeatTicks must be >= 1, got " + heartbeatTicks);
        }
        if (electionTicks <= heartbeatTicks) {
            v.add("electionTicks (" + electionTicks + ") must be greater than heartbeatTicks (" + heartbeatTicks + ")");
        }
        if (maxAppendEntries < 1) {
            v.add("maxAppendEntries must be >= 1, got " + maxAppendEntries);
        }
        if (maxAppendBytes < 1) {
            v.add("maxAppendBytes must be >= 1, got " + maxAppendBytes);
        }
        if (maxInflightAppends < 1) {
            v.add("maxInflightAppends must be >= 1, got " + maxInflightAppends);
        }
        if (maxInflightBytes < maxAppendBytes) {
            v.add("maxInflightBytes (" + maxInflightBytes + ") must be >= maxAppendBytes (" + maxAppendBytes + ")");
        }
        if (maxCommandBytes < 0) {
            v.add("maxCommandBytes must be >= 0, got " + maxCommandBytes);
        }
        if (maxPendingProposals < 1) {
            v.add("maxPendingProposals must be >= 1, got " + maxPendingProposals);
        }
        if (snapshots == null) {
            v.add("snapshots must not be null");
        }
        if (!v.isEmpty()) {
            throw new InvalidConfigException("RaftConfig", v);
        }
    }

    /**
     * Returns the defaults, suited to a LAN cluster.
     *
     * @return the default configuration
     */
    public static RaftConfig defaults() {
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
     * Returns a builder holding this configuration's values.
     *
     * @return a builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.tickInterval = tickInterval;
        b.electionTicks = electionTicks;
        b.heartbeatTicks = heartbeatTicks;
        b.preVote = preVote;
        b.checkQuorum = checkQuorum;
        b.maxAppendEntries = maxAppendEntries;
        b.maxAppendBytes = maxAppendBytes;
        b.maxInflightAppends = maxInflightAppends;
        b.maxInflightBytes = maxInflightBytes;
        b.maxCommandBytes = maxCommandBytes;
        b.maxPendingProposals = maxPendingProposals;
        b.snapshots = snapshots;
        return b;
    }

    /** Builds a {@link RaftConfig}; validation happens in {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private Duration tickInterval = Duration.ofMillis(10);
        private int electionTicks = 30;
        private int heartbeatTicks = 5;
        private boolean preVote = true;
        private boolean checkQuorum = true;
        private int maxAppendEntries = 4096;
        private long maxAppendBytes = 1L << 20;
        private int maxInflightAppends = 256;
        private long maxInflightBytes = 32L << 20;
        private int maxCommandBytes = 8 << 20;
        private int maxPendingProposals = 65_536;
        private SnapshotConfig snapshots = SnapshotConfig.defaults();

        private Builder() {}

        /**
         * Sets the tick length.
         *
         * @param tickInterval a positive duration of at least 1 ms
         * @return this builder
         */
        public Builder tickInterval(Duration tickInterval) {
            this.tickInterval = Objects.requireNonNull(tickInterval);
            return this;
        }

        /**
         * Sets the minimum election timeout in ticks.
         *
         * @param electionTicks more than {@code heartbeatTicks}
         * @return this builder
         */
        public Builder electionTicks(int electionTicks) {
            this.electionTicks = electionTicks;
            return this;
        }

        /**
         * Sets the heartbeat interval in ticks.
         *
         * @param heartbeatTicks at least 1
         * @return this builder
         */
        public Builder heartbeatTicks(int heartbeatTicks) {
            this.heartbeatTicks = heartbeatTicks;
            return this;
        }

        /**
         * Turns pre-vote on or off.
         *
         * @param preVote whether to pre-vote
         * @return this builder
         */
        public Builder preVote(boolean preVote) {
            this.preVote = preVote;
            return this;
        }

        /**
         * Turns check-quorum on or off.
         *
         * @param checkQuorum whether to check quorum
         * @return this builder
         */
        public Builder checkQuorum(boolean checkQuorum) {
            this.checkQuorum = checkQuorum;
            return this;
        }

        /**
         * Sets the most entries per AppendEntries message.
         *
         * @param maxAppendEntries at least 1
         * @return this builder
         */
        public Builder maxAppendEntries(int maxAppendEntries) {
            this.maxAppendEntries = maxAppendEntries;
            return this;
        }

        /**
         * Sets the most entry bytes per AppendEntries message.
         *
         * @param maxAppendBytes at least 1
         * @return this builder
         */
        public Builder maxAppendBytes(long maxAppendBytes) {
            this.maxAppendBytes = maxAppendBytes;
            return this;
        }

        /**
         * Sets the pipelining window in messages.
         *
         * @param maxInflightAppends at least 1
         * @return this builder
         */
        public Builder maxInflightAppends(int maxInflightAppends) {
            this.maxInflightAppends = maxInflightAppends;
            return this;
        }

        /**
         * Sets the pipelining window in bytes.
         *
         * @param maxInflightBytes at least {@code maxAppendBytes}
         * @return this builder
         */
        public Builder maxInflightBytes(long maxInflightBytes) {
            this.maxInflightBytes = maxInflightBytes;
            return this;
        }

        /**
         * Sets the largest accepted command.
         *
         * @param maxCommandBytes at least 0
         * @return this builder
         */
        public Builder maxCommandBytes(int maxCommandBytes) {
            this.maxCommandBytes = maxCommandBytes;
            return this;
        }

        /**
         * Sets the proposal queue bound.
         *
         * @param maxPendingProposals at least 1
         * @return this builder
         */
        public Builder maxPendingProposals(int maxPendingProposals) {
            this.maxPendingProposals = maxPendingProposals;
            return this;
        }

        /**
         * Sets the snapshot and compaction settings.
         *
         * @param snapshots not null
         * @return this builder
         */
        public Builder snapshots(SnapshotConfig snapshots) {
            this.snapshots = snapshots;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the configuration
         * @throws InvalidConfigException listing every violated rule
         */
        public RaftConfig build() {
            return new RaftConfig(tickInterval, electionTicks, heartbeatTicks, preVote, checkQuorum,
                    maxAppendEntries, maxAppendBytes, maxInflightAppends, maxInflightBytes, maxCommandBytes,
                    maxPendingProposals, snapshots);
        }
    }
}
