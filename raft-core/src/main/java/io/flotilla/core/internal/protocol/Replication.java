package io.flotilla.core.internal.protocol;

import io.flotilla.LogEntry;
import io.flotilla.NodeId;
import io.flotilla.ReplicationState;
import io.flotilla.core.internal.log.RaftLog;
import io.flotilla.core.internal.tracker.Progress;
import io.flotilla.message.AppendEntriesRequest;
import io.flotilla.message.AppendEntriesResponse;
import io.flotilla.message.HeartbeatRequest;
import io.flotilla.message.HeartbeatResponse;
import java.util.List;
import java.util.Map;

/**
 * The leader's side of log replication (§5.3) and commitment (§5.4.2): pipelined AppendEntries per follower in
 * PROBE/REPLICATE state, heartbeats (§5.2), check-quorum (thesis §6.2) and the commit rule that counts only
 * entries of the current term (Figure 8). Operates on the state of its {@link RaftProtocol}.
 *
 * <p>New entries are not sent per proposal: {@link #onLeaderAppended()} marks a broadcast pending and
 * {@link #flushBroadcast()} (called by {@link RaftProtocol#ready()}) sends one message per follower covering
 * every entry proposed since, which is what batches many proposals into one append.
 *
 * <p><b>Threading:</b> not thread-safe; used only on the event loop.
 */
final class Replication {
    private final RaftProtocol r;
    // New entries or a new commit index wait to be sent with the next Ready.
    private boolean broadcastPending;
    private boolean commitChanged;

    Replication(RaftProtocol r) {
        this.r = r;
    }

    boolean hasPendingBroadcast() {
        return broadcastPending && r.role == io.flotilla.Role.LEADER;
    }

    /** §5.3 / §8: initialize every follower's progress, then append a no-op of the new term. */
    void onBecomeLeader() {
        long last = r.log.lastIndex();
        r.tracker.resetProgress(last + 1);
        Progress me = r.tracker.progress(r.self);
        if (me != null) {
            me.selfMatch(r.log.durableLastIndex());
            me.recentActive(true);
        }
        // §8: "each leader commit a blank no-op entry into the log at the start of its term", so entries of
        // earlier terms become committed (§5.4.2) and ReadIndex can start (thesis §6.4).
        r.log.appendLeader(LogEntry.noOp(last + 1, r.term));
        onLeaderAppended();
    }

    /** Called after the leader appended entries to its log. */
    void onLeaderAppended() {
        broadcastPending = true;
        if (r.bugLeaderAckBeforeDurable) {
            // Seeded bug: the leader counts its own entries before its write is durable (thesis §10.2.1).
            Progress me = r.tracker.progress(r.self);
            if (me != null) {
                me.selfMatch(r.log.lastIndex());
            }
            maybeCommit();
        }
    }

    /** The leader's own log became durable further: it now counts toward the commit quorum (thesis §10.2.1). */
    void onSelfDurable() {
        Progress me = r.tracker.progress(r.self);
        if (me != null && r.log.durableLastIndex() > me.match()) {
            me.selfMatch(r.log.durableLastIndex());
            maybeCommit();
        }
    }

    /** Sends pending entries (and a changed commit index) to every member, one batch each. */
    void flushBroadcast() {
        if (!broadcastPending) {
            return;
        }
        boolean newCommit = commitChanged;
        broadcastPending = false;
        commitChanged = false;
        long committed = r.log.committed();
        for (Map.Entry<NodeId, Progress> e : r.tracker.progressMap().entrySet()) {
            if (!e.getKey().equals(r.self)) {
                Progress pr = e.getValue();
                sendAppends(e.getKey(), pr, newCommit && pr.commitSent() < committed);
            }
        }
    }

    /** Sends at least a probe (empty if nothing is left) to a follower whose state just changed. */
    void sendAppendsNow(NodeId to, Progress pr) {
        sendAppends(to, pr, true);
    }

    /** Sends as many appends as the follower's state and window allow (one in PROBE, a stream in REPLICATE). */
    private void sendAppends(NodeId to, Progress pr, boolean sendIfEmpty) {
        if (!maybeSendAppend(to, pr, sendIfEmpty)) {
            return;
        }
        while (pr.state() == ReplicationState.REPLICATE && maybeSendAppend(to, pr, false)) {
            // keep filling the pipeline
        }
    }

    /**
     * Sends one AppendEntries from {@code pr.next()} (§5.3), bounded by maxAppendEntries/maxAppendBytes.
     *
     * @return whether a message was sent
     */
    boolean maybeSendAppend(NodeId to, Progress pr, boolean sendIfEmpty) {
        if (pr.isPaused()) {
            return false;
        }
        long prevIndex = pr.next() - 1;
        long prevTerm = r.log.term(prevIndex);
        if (prevTerm == RaftLog.NO_TERM) {
            // §7: the follower needs entries the leader has compacted: only the snapshot can help.
            r.snapshots.needSnapshot(to, pr);
            return false;
        }
        long last = r.log.lastIndex();
        List<LogEntry> entries = pr.next() <= last
                ? r.log.entries(pr.next(), last + 1, r.cfg.maxAppendBytes(), r.cfg.maxAppendEntries())
                : List.of();
        int n = entries.size();
        if (n == 0 && !sendIfEmpty) {
            return false;
        }
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            bytes += entries.get(i).sizeBytes();
        }
        // thesis §10.2.1: sent at once, in parallel with the leader's own write.
        r.sendNow(new AppendEntriesRequest(r.self, to, r.term, prevIndex, prevTerm, entries, r.log.committed()));
        pr.sentEntries(prevIndex + n, n, bytes);
        pr.commitSent(r.log.committed());
        return true;
    }

    void handleAppendResponse(AppendEntriesResponse m) {
        Progress pr = r.tracker.progress(m.from());
        if (pr == null) {
            return;
        }
        pr.recentActive(true);
        if (!m.success()) {
            if (pr.maybeDecrTo(m.rejectedIndex(), nextHint(m, pr))) {
                // Probe at the new position at once, even without entries to carry.
                maybeSendAppend(m.from(), pr, true);
            }
            return;
        }
        if (m.matchIndex() > r.log.lastIndex()) {
            return; // cannot be from this leadership: ignore
        }
        boolean advanced = pr.maybeUpdate(m.matchIndex());
        if (advanced || (pr.state() == ReplicationState.PROBE && pr.match() == m.matchIndex())) {
            if (pr.state() == ReplicationState.PROBE) {
                pr.becomeReplicate();
            } else {
                pr.inflights().freeLE(m.matchIndex());
            }
            if (advanced && !pr.isLearner()) {
                maybeCommit();
            }
            // A follower that just caught up may not know the commit index yet: tell it now, not at the next
            // heartbeat.
            sendAppends(m.from(), pr, pr.commitSent() < r.log.committed());
        }
    }

    /**
     * Turns the follower's conflict hints into the next index to try (§5.3, "the follower can include the term
     * of the conflicting entry and the first index it stores for that term"): if this log has entries of the
     * conflicting term, resume after its last one; otherwise resume at the follower's first index of that term.
     */
    private long nextHint(AppendEntriesResponse m, Progress pr) {
        long rejected = m.rejectedIndex();
        if (m.conflictTerm() == 0) {
            // The follower's log is shorter: resume just after its last entry.
            return m.conflictIndex() == 0 ? rejected : Math.min(m.conflictIndex(), rejected);
        }
        long i = r.log.lastIndexWithTermAtMost(rejected - 1, m.conflictTerm(), pr.match());
        if (r.log.term(i) == m.conflictTerm()) {
            return i + 1;
        }
        return Math.min(i + 1, Math.max(1, m.conflictIndex()));
    }

    void handleHeartbeatResponse(HeartbeatResponse m) {
        Progress pr = r.tracker.progress(m.from());
        if (pr == null) {
            return;
        }
        pr.recentActive(true);
        pr.resumeProbe();
        if (pr.state() == ReplicationState.REPLICATE && pr.inflights().full()) {
            pr.inflights().freeFirstOne();
        }
        if (pr.match() < r.log.lastIndex()) {
            // The follower has not confirmed the whole log. Appends may have been lost, and its log may even be
            // longer than ours with a conflicting tail (entries of an older term that no append has reached yet),
            // so its last index says nothing about whether it matches. Send an append at next - 1 (empty if
            // nothing is left to send): the follower either confirms it or rejects it with a conflict hint, and
            // repair starts (§5.3). Without this, a REPLICATE follower whose repairing append was lost waits for
            // the next proposal, and an idle cluster never converges (found by the simulator).
            maybeSendAppend(m.from(), pr, true);
        }
        r.reads.onHeartbeatAck(m.from(), m.readContext());
    }

    /**
     * §5.3/§5.4.2: the commit index advances to the largest index replicated on a quorum, but only if that entry
     * is of the current term (Figure 8); earlier entries are then committed indirectly.
     *
     * @return whether the commit index advanced
     */
    boolean maybeCommit() {
        long quorumIndex = r.tracker.committedIndex();
        if (quorumIndex <= r.log.committed()) {
            return false;
        }
        if (!r.bugCommitPreviousTerm && r.log.term(quorumIndex) != r.term) {
            return false;
        }
        r.log.commitTo(quorumIndex);
        broadcastPending = true;
        commitChanged = true;
        r.reads.onCommitAdvanced();
        return true;
    }

    void tickLeader() {
        r.heartbeatElapsed++;
        r.electionElapsed++;
        if (r.electionElapsed >= r.cfg.electionTicks()) {
            r.electionElapsed = 0;
            if (r.cfg.checkQuorum()) {
                // thesis §6.2: a leader that has not heard from a quorum for an election timeout steps down.
                if (!r.tracker.quorumActive(r.self)) {
                    r.becomeFollower(r.term, null);
                    return;
                }
                for (Map.Entry<NodeId, Progress> e : r.tracker.progressMap().entrySet()) {
                    e.getValue().recentActive(e.getKey().equals(r.self));
                }
            }
        }
        if (r.heartbeatElapsed >= r.cfg.heartbeatTicks()) {
            r.heartbeatElapsed = 0;
            broadcastHeartbeat(r.reads.context());
        }
    }

    /** §5.2: heartbeats assert leadership; each carries the commit index the follower can safely adopt. */
    void broadcastHeartbeat(long readContext) {
        long committed = r.log.committed();
        for (Map.Entry<NodeId, Progress> e : r.tracker.progressMap().entrySet()) {
            if (e.getKey().equals(r.self)) {
                continue;
            }
            long commit = Math.min(e.getValue().match(), committed);
            e.getValue().commitSent(commit);
            r.sendNow(new HeartbeatRequest(r.self, e.getKey(), r.term, commit, readContext));
        }
    }
}
