package io.flotilla.core.internal.protocol;

import io.flotilla.NodeId;
import io.flotilla.ReplicationState;
import io.flotilla.Role;
import io.flotilla.SnapshotMeta;
import io.flotilla.core.internal.tracker.Progress;
import io.flotilla.message.InstallSnapshotRequest;
import io.flotilla.message.InstallSnapshotResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Snapshots and log compaction in the protocol core (§7): compaction after a local snapshot, the leader's switch
 * of a follower to snapshot transfer when it needs compacted entries, and the follower's installation of a
 * received snapshot. The bytes themselves never pass through the core: the driver streams them off the event
 * loop and reports the outcome ({@link RaftProtocol#snapshotReceived}, {@link RaftProtocol#reportSnapshot}).
 *
 * <p><b>Threading:</b> not thread-safe; used only on the event loop.
 */
final class Snapshots {
    private final RaftProtocol r;
    // Output for the next Ready.
    private final ArrayList<NodeId> targets = new ArrayList<>();
    private final ArrayList<InstallSnapshotRequest> chunks = new ArrayList<>();
    private LogCompaction compaction;
    private SnapshotMeta toRestore;

    Snapshots(RaftProtocol r) {
        this.r = r;
    }

    boolean hasWork() {
        return compaction != null || toRestore != null || !targets.isEmpty() || !chunks.isEmpty();
    }

    /**
     * This node committed a snapshot of its own state to its store: compact the log below it, keeping
     * {@code trailingEntries} so a follower a little behind is caught up from the log (§7).
     */
    void onTaken(SnapshotMeta meta) {
        long index = meta.lastIncludedIndex();
        if (index <= r.log.snapshotIndex()) {
            return; // an older snapshot than one installed meanwhile
        }
        r.log.snapshotTaken(index, meta.lastIncludedTerm());
        long through = Math.min(index - r.cfg.snapshots().trailingEntries(), r.log.durableLastIndex());
        if (through > 0 && r.log.compactTo(through)) {
            addCompaction(new LogCompaction(through, false));
        }
    }

    private void addCompaction(LogCompaction c) {
        // A pending discard wins: it must run before this Ready's entries, and a later compaction in the same
        // Ready can only be redone by the next snapshot (the store may keep entries longer; never fewer).
        if (compaction == null || c.discardLog()
                || (!compaction.discardLog() && c.throughIndex() > compaction.throughIndex())) {
            compaction = c;
        }
    }

    /**
     * The leader found that {@code pr} needs entries at or below the log's floor: only the snapshot can help
     * (§7). Moves the follower to SNAPSHOT (appends pause) and asks the driver to stream the latest snapshot.
     */
    void needSnapshot(NodeId to, Progress pr) {
        if (pr.state() == ReplicationState.SNAPSHOT) {
            return;
        }
        pr.becomeSnapshot(r.log.snapshotIndex());
        if (!targets.contains(to)) {
            targets.add(to);
        }
    }

    /** Leader: the follower acknowledged a snapshot as durable and its log continues from it. */
    void handleResponse(InstallSnapshotResponse m) {
        Progress pr = r.tracker.progress(m.from());
        if (pr == null) {
            return;
        }
        pr.recentActive(true);
        if (!m.installed()) {
            return; // chunk-level flow control is the driver's
        }
        long index = m.lastIncludedIndex();
        if (index > r.log.lastIndex()) {
            return; // not from this leadership's log
        }
        if (pr.state() == ReplicationState.SNAPSHOT) {
            pr.snapshotInstalled(index);
        } else {
            pr.maybeUpdate(index);
        }
        r.replication.sendAppendsNow(m.from(), pr);
    }

    /** Leader: the driver gave up streaming to {@code peer} (I/O error, timeout): probe again, later retry. */
    void reportFailure(NodeId peer) {
        Progress pr = r.tracker.progress(peer);
        if (r.role == Role.LEADER && pr != null && pr.state() == ReplicationState.SNAPSHOT) {
            pr.becomeProbe();
        }
    }

    /** Follower: a chunk from the current leader (term already checked). */
    void handleRequest(InstallSnapshotRequest m) {
        long index = m.meta().lastIncludedIndex();
        if (index <= r.log.committed()) {
            // Figure 13 / §7: the log already covers the snapshot (it holds every committed entry up to there):
            // answer "installed" so the leader resumes appends after it; nothing is written.
            r.reply(new InstallSnapshotResponse(r.self, m.from(), r.term, index, m.offset() + m.data().size(),
                    true, true));
            return;
        }
        chunks.add(m);
    }

    /**
     * Follower: a snapshot from the leader is complete and durable in the snapshot store. Installs it into the
     * log unless the log already moved past it.
     *
     * @return whether it was installed (the state machine must then restore it)
     */
    boolean onReceived(SnapshotMeta meta) {
        long index = meta.lastIncludedIndex();
        if (index <= r.log.committed() || r.role == Role.LEADER) {
            return false;
        }
        boolean kept = r.log.installSnapshot(index, meta.lastIncludedTerm());
        addCompaction(new LogCompaction(index, !kept));
        toRestore = meta;
        r.onSnapshotInstalled(meta.config(), index, kept);
        return true;
    }

    Optional<LogCompaction> takeCompaction() {
        LogCompaction c = compaction;
        compaction = null;
        return Optional.ofNullable(c);
    }

    Optional<SnapshotMeta> takeRestore() {
        SnapshotMeta m = toRestore;
        toRestore = null;
        return Optional.ofNullable(m);
    }

    List<NodeId> takeTargets() {
        List<NodeId> t = List.copyOf(targets);
        targets.clear();
        return t;
    }

    List<InstallSnapshotRequest> takeChunks() {
        List<InstallSnapshotRequest> c = List.copyOf(chunks);
        chunks.clear();
        return c;
    }

    /** Leadership changed: transfers asked for and chunks received are moot. */
    void onRoleChange() {
        targets.clear();
    }
}
