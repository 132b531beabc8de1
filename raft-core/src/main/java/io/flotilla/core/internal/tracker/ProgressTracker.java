package io.flotilla.core.internal.tracker;

import io.flotilla.ClusterConfig;
import io.flotilla.NodeId;
import io.flotilla.core.internal.quorum.JointConfig;
import io.flotilla.core.internal.quorum.VoteResult;
import io.flotilla.core.internal.quorum.VoteSource;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The configuration in force and, on a leader, the {@link Progress} of every member; on a candidate, the votes
 * received (etcd raft's {@code tracker.ProgressTracker}). Learners have a progress but never count toward a
 * quorum (thesis §4.2.1).
 *
 * <p><b>Threading:</b> not thread-safe; used only on the event loop.
 */
public final class ProgressTracker {
    private final int maxInflight;
    private final long maxInflightBytes;
    private ClusterConfig config;
    private JointConfig quorum;
    private final TreeMap<NodeId, Progress> progress = new TreeMap<>();
    private final Map<NodeId, Boolean> votes = new HashMap<>();

    /**
     * @param config the configuration in force
     * @param maxInflight the per-member window in messages
     * @param maxInflightBytes the per-member window in bytes
     */
    public ProgressTracker(ClusterConfig config, int maxInflight, long maxInflightBytes) {
        this.maxInflight = maxInflight;
        this.maxInflightBytes = maxInflightBytes;
        this.config = config;
        this.quorum = JointConfig.of(config);
    }

    /** @return the configuration in force */
    public ClusterConfig config() {
        return config;
    }

    /** @return its quorum rule */
    public JointConfig quorum() {
        return quorum;
    }

    /**
     * Switches to a new configuration (thesis §4.1: in force from the moment it is in the log). Progress of
     * members that stay is kept; new members start probing at {@code nextIndex}; departed members are dropped.
     *
     * @param newConfig the configuration
     * @param nextIndex where new members' replication starts (the leader's last index + 1)
     */
    public void setConfig(ClusterConfig newConfig, long nextIndex) {
        this.config = newConfig;
        this.quorum = JointConfig.of(newConfig);
        if (!progress.isEmpty()) {
            progress.keySet().retainAll(newConfig.members());
            for (NodeId id : newConfig.members()) {
                Progress p = progress.get(id);
                if (p == null || p.isLearner() != newConfig.learners().contains(id)) {
                    Progress fresh = newProgress(id, nextIndex);
                    if (p != null) {
                        fresh.maybeUpdate(p.match());
                        fresh.becomeProbe();
                    }
                    progress.put(id, fresh);
                }
            }
        }
    }

    /**
     * Creates fresh progress for every member (on becoming leader, §5.3: "nextIndex initialized to leader last
     * log index + 1", matchIndex 0).
     *
     * @param nextIndex the leader's last index + 1
     */
    public void resetProgress(long nextIndex) {
        progress.clear();
        for (NodeId id : config.members()) {
            progress.put(id, newProgress(id, nextIndex));
        }
    }

    /** Drops all progress (on leaving the leader role). */
    public void clearProgress() {
        progress.clear();
    }

    private Progress newProgress(NodeId id, long nextIndex) {
        return new Progress(nextIndex, config.learners().contains(id), maxInflight, maxInflightBytes);
    }

    /**
     * @param id a member
     * @return its progress, or null if it is not a member or this node does not lead
     */
    public Progress progress(NodeId id) {
        return progress.get(id);
    }

    /** @return every member's progress, in id order (live view) */
    public SortedMap<NodeId, Progress> progressMap() {
        return Collections.unmodifiableSortedMap(progress);
    }

    /**
     * @return the largest index a quorum of voters has matched (§5.3)
     */
    public long committedIndex() {
        return quorum.committedIndex(id -> {
            Progress p = progress.get(id);
            return p == null ? 0 : p.match();
        });
    }

    /**
     * @param self the leader itself, always counted as active
     * @return whether a quorum of voters was heard from since the last round (thesis §6.2)
     */
    public boolean quorumActive(NodeId self) {
        VoteResult r = quorum.voteResult(id -> {
            Progress p = progress.get(id);
            if (p == null) {
                return VoteSource.MISSING;
            }
            return id.equals(self) || p.recentActive() ? VoteSource.GRANTED : VoteSource.REJECTED;
        });
        return r == VoteResult.WON;
    }

    /** Clears the votes (on starting a campaign or changing term). */
    public void resetVotes() {
        votes.clear();
    }

    /**
     * Records a vote; only a voter's first answer in a campaign counts (akka-raft #50).
     *
     * @param id the voter
     * @param granted whether it granted
     */
    public void recordVote(NodeId id, boolean granted) {
        votes.putIfAbsent(id, granted);
    }

    /** @return the election's current outcome (§5.2) */
    public VoteResult tallyVotes() {
        return quorum.voteResult(id -> {
            Boolean v = votes.get(id);
            return v == null ? VoteSource.MISSING : v ? VoteSource.GRANTED : VoteSource.REJECTED;
        });
    }

    /** @return the number of votes granted so far */
    public int grantedCount() {
        int n = 0;
        for (Boolean v : votes.values()) {
            if (v) {
                n++;
            }
        }
        return n;
    }
}
