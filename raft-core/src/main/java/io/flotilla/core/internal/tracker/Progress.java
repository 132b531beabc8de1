package io.flotilla.core.internal.tracker;

import io.flotilla.ReplicationState;

/**
 * The leader's view of one member's log (§5.3 {@code nextIndex}/{@code matchIndex}, etcd raft's
 * {@code tracker.Progress}), and how the leader replicates to it:
 * <ul>
 *   <li>{@link ReplicationState#PROBE}: the leader does not know where the logs match; it sends one append at
 *       a time and waits for the answer (or the next heartbeat) before the next.</li>
 *   <li>{@link ReplicationState#REPLICATE}: the logs match up to {@code match}; the leader streams appends
 *       optimistically, advancing {@code next} as it sends, bounded by {@link Inflights}.</li>
 *   <li>{@link ReplicationState#SNAPSHOT}: the member needs entries the leader has compacted: a snapshot is being sent (§7).</li>
 * </ul>
 *
 * <p><b>Threading:</b> not thread-safe; used only on the event loop.
 */
public final class Progress {
    // Invariant: 0 <= match < next.
    private long match;
    private long next;
    private ReplicationState state = ReplicationState.PROBE;
    // In PROBE: an append was sent and not yet answered; further appends wait (etcd MsgAppFlowPaused).
    private boolean probeSent;
    // Whether the member was heard from since the last check-quorum round (thesis §6.2).
    private boolean recentActive;
    private final boolean learner;
    private final Inflights inflights;
    // The highest read context the member echoed in a heartbeat response (thesis §6.4).
    private long readContextAck;
    // The highest commit index sent to the member, so a member that catches up learns the commit at once.
    private long commitSent;
    // In SNAPSHOT: the index of the snapshot being sent.
    private long pendingSnapshot;

    /**
     * @param next the first index to send
     * @param learner whether the member is a learner (never counted toward quorums)
     * @param maxInflight the pipelining window in messages
     * @param maxInflightBytes the pipelining window in bytes
     */
    public Progress(long next, boolean learner, int maxInflight, long maxInflightBytes) {
        this.next = Math.max(1, next);
        this.learner = learner;
        this.inflights = new Inflights(maxInflight, maxInflightBytes);
    }

    /** @return the highest index known to match the leader's log */
    public long match() {
        return match;
    }

    /** @return the next index to send */
    public long next() {
        return next;
    }

    /** @return the replication state */
    public ReplicationState state() {
        return state;
    }

    /** @return whether this member is a learner */
    public boolean isLearner() {
        return learner;
    }

    /** @return the in-flight window */
    public Inflights inflights() {
        return inflights;
    }

    /** @return whether the member was heard from since the last check-quorum round */
    public boolean recentActive() {
        return recentActive;
    }

    /** @param active whether the member was heard from */
    public void recentActive(boolean active) {
        this.recentActive = active;
    }

    /** @return the highest commit index sent to the member */
    public long commitSent() {
        return commitSent;
    }

    /** @param commit a commit index just sent to the member */
    public void commitSent(long commit) {
        if (commit > commitSent) {
            commitSent = commit;
        }
    }

    /** @return the highest read context the member has echoed */
    public long readContextAck() {
        return readContextAck;
    }

    /** @param context an echoed read context; lower values than the current one are ignored */
    public void ackReadContext(long context) {
        if (context > readContextAck) {
            readContextAck = context;
        }
    }

    /**
     * Sets the match index directly: used for the leader's own progress, which follows its durable log.
     *
     * @param index the leader's durable last index
     */
    public void selfMatch(long index) {
        match = index;
        next = index + 1;
    }

    /** Enters PROBE: resume from just after the known match (etcd {@code BecomeProbe}). */
    public void becomeProbe() {
        state = ReplicationState.PROBE;
        pendingSnapshot = 0;
        probeSent = false;
        next = match + 1;
        inflights.reset();
    }

    /** Enters REPLICATE: the logs match up to {@code match}; stream from there. */
    public void becomeReplicate() {
        state = ReplicationState.REPLICATE;
        probeSent = false;
        next = match + 1;
        inflights.reset();
    }

    /**
     * Switches to snapshot transfer (§7): appends pause until {@link #snapshotInstalled} or {@link #becomeProbe}.
     *
     * @param snapshotIndex the index of the snapshot being sent
     */
    public void becomeSnapshot(long snapshotIndex) {
        state = ReplicationState.SNAPSHOT;
        probeSent = false;
        pendingSnapshot = snapshotIndex;
        inflights.reset();
    }

    /**
     * The follower installed a snapshot up to {@code index}: its log matches there; probe from the next entry.
     *
     * @param index the snapshot's last included index
     */
    public void snapshotInstalled(long index) {
        match = Math.max(match, index);
        pendingSnapshot = 0;
        becomeProbe();
    }

    /** @return the index of the snapshot being sent in SNAPSHOT state, else 0 */
    public long pendingSnapshot() {
        return pendingSnapshot;
    }

    /**
     * Records a successful append acknowledgement.
     *
     * @param index the acknowledged match index
     * @return whether {@code match} advanced (a stale or duplicate acknowledgement returns false)
     */
    public boolean maybeUpdate(long index) {
        boolean updated = false;
        if (index > match) {
            match = index;
            updated = true;
            probeSent = false;
        }
        if (next < index + 1) {
            next = index + 1;
        }
        return updated;
    }

    /**
     * Handles a rejected append (§5.3: "after a rejection, the leader decrements nextIndex and retries"), jumping
     * straight to {@code nextHint} computed from the follower's conflict hints.
     *
     * @param rejected the rejected append's {@code prevLogIndex}
     * @param nextHint the next index the hints suggest, at most {@code rejected}
     * @return false if the rejection is stale (an older append than the one now in question) and was ignored
     */
    public boolean maybeDecrTo(long rejected, long nextHint) {
        if (state == ReplicationState.REPLICATE) {
            // Appends at or below match were already acknowledged: this rejection is stale or reordered.
            if (rejected <= match) {
                return false;
            }
            next = Math.max(match + 1, Math.min(rejected, nextHint));
            state = ReplicationState.PROBE;
            inflights.reset();
            probeSent = false;
            return true;
        }
        // In PROBE only the answer to the latest probe (prevLogIndex = next - 1) counts.
        if (next - 1 != rejected) {
            return false;
        }
        next = Math.max(match + 1, Math.min(rejected, nextHint));
        probeSent = false;
        return true;
    }

    /**
     * @return whether the leader must hold back appends: a probe is outstanding, or the window is full
     */
    public boolean isPaused() {
        switch (state) {
            case PROBE:
                return probeSent;
            case REPLICATE:
                return inflights.full();
            default:
                return true;
        }
    }

    /**
     * Records an append just sent.
     *
     * @param lastIndex the last index it carries ({@code prevLogIndex} if empty)
     * @param entryCount the number of entries
     * @param entryBytes their bytes
     */
    public void sentEntries(long lastIndex, int entryCount, long entryBytes) {
        if (state == ReplicationState.REPLICATE) {
            if (entryCount > 0) {
                next = lastIndex + 1;
                inflights.add(lastIndex, entryBytes);
            }
        } else if (state == ReplicationState.PROBE) {
            probeSent = true;
        }
    }

    /** Unpauses a probe: a heartbeat answer shows the member is reachable (etcd). */
    public void resumeProbe() {
        probeSent = false;
    }

    @Override
    public String toString() {
        return state + " match=" + match + " next=" + next + (learner ? " learner" : "")
                + (probeSent ? " paused" : "") + (inflights.count() > 0 ? " inflight=" + inflights.count() : "");
    }
}
