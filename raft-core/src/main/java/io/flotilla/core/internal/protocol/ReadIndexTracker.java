package io.flotilla.core.internal.protocol;

import io.flotilla.NodeId;
import io.flotilla.core.internal.tracker.Progress;
import io.flotilla.message.ReadIndexResponse;
import java.util.ArrayDeque;

/**
 * Linearizable reads by ReadIndex (thesis §6.4) on the leader:
 * <ol>
 *   <li>A read waits until the leader has committed an entry of its own term (its no-op), because only then is
 *       its commit index at least that of every earlier leader.</li>
 *   <li>It then records the commit index as its read index and joins the next confirmation round: the leader
 *       increments a read context and sends it in heartbeats.</li>
 *   <li>Once a quorum has echoed a context at least as large as the read's, leadership was still held after the
 *       read arrived: the read is released as a {@link ReadState} (or, for a follower's request, a
 *       {@link ReadIndexResponse}).</li>
 * </ol>
 * Contexts only grow and each member's highest echo is kept, so a delayed echo of an old round can only confirm
 * reads registered before that round (the duplicate-context bug of etcd-io/raft #397 cannot occur). All reads
 * registered between two {@link RaftProtocol#ready()} calls share one round.
 *
 * <p>Lease reads (thesis §6.4.1) would plug in here: release reads without a round while the leader's
 * check-quorum lease (last quorum contact + election timeout, minus a clock-drift bound) is valid. They are not
 * offered: they are unsafe under pauses and clock-rate skew unless bounded carefully (reliability §4 #36).
 *
 * <p><b>Threading:</b> not thread-safe; used only on the event loop.
 */
final class ReadIndexTracker {
    /** A read waiting for confirmation; {@code requester} is null for a local read. */
    private static final class PendingRead {
        final long readId;
        final NodeId requester;
        long readIndex;
        long context;

        PendingRead(long readId, NodeId requester) {
            this.readId = readId;
            this.requester = requester;
        }
    }

    private final RaftProtocol r;
    // The last read context sent. Invariant: never decreases.
    private long context;
    private boolean roundPending;
    private final ArrayDeque<PendingRead> waitingForCommit = new ArrayDeque<>();
    // Invariant: ordered by context.
    private final ArrayDeque<PendingRead> pending = new ArrayDeque<>();

    ReadIndexTracker(RaftProtocol r) {
        this.r = r;
    }

    long context() {
        return context;
    }

    boolean hasPendingRound() {
        return roundPending;
    }

    private boolean committedInCurrentTerm() {
        return r.log.term(r.log.committed()) == r.term;
    }

    void register(long readId, NodeId requester) {
        PendingRead read = new PendingRead(readId, requester);
        if (!committedInCurrentTerm()) {
            waitingForCommit.add(read);
            return;
        }
        enqueue(read);
    }

    private void enqueue(PendingRead read) {
        read.readIndex = r.log.committed();
        read.context = context + 1;
        pending.add(read);
        roundPending = true;
    }

    void onCommitAdvanced() {
        if (!waitingForCommit.isEmpty() && committedInCurrentTerm()) {
            while (!waitingForCommit.isEmpty()) {
                enqueue(waitingForCommit.poll());
            }
        }
    }

    /** Starts the pending confirmation round (called from {@link RaftProtocol#ready()} on the leader). */
    void flushRound() {
        if (!roundPending) {
            return;
        }
        roundPending = false;
        context++;
        r.replication.broadcastHeartbeat(context);
        release(); // a single-voter cluster confirms at once
    }

    void onHeartbeatAck(NodeId from, long ackedContext) {
        Progress pr = r.tracker.progress(from);
        if (pr == null || ackedContext == 0) {
            return;
        }
        pr.ackReadContext(ackedContext);
        release();
    }

    private void release() {
        if (pending.isEmpty()) {
            return;
        }
        long confirmed = r.tracker.quorum().committedIndex(id -> {
            if (id.equals(r.self)) {
                return context;
            }
            Progress p = r.tracker.progress(id);
            return p == null ? 0 : p.readContextAck();
        });
        while (!pending.isEmpty() && pending.peek().context <= confirmed) {
            PendingRead read = pending.poll();
            if (read.requester == null) {
                r.readStates.add(new ReadState(read.readId, read.readIndex));
            } else {
                r.sendNow(new ReadIndexResponse(r.self, read.requester, r.term, read.readId, true, read.readIndex));
            }
        }
    }

    /** Leadership is gone: local reads are dropped (the driver fails them), followers are told to retry. */
    void onLeadershipLost() {
        for (ArrayDeque<PendingRead> q : java.util.List.of(waitingForCommit, pending)) {
            for (PendingRead read : q) {
                if (read.requester != null) {
                    r.sendNow(new ReadIndexResponse(r.self, read.requester, r.term, read.readId, false, 0));
                }
            }
            q.clear();
        }
        roundPending = false;
    }

    /** @return how many reads wait (for tests) */
    int pendingCount() {
        return pending.size() + waitingForCommit.size();
    }
}
