package io.flotilla.core.internal.loop;

import io.flotilla.LogEntry;
import io.flotilla.NodeId;
import io.flotilla.RaftConfig;
import io.flotilla.SnapshotMeta;
import io.flotilla.core.internal.protocol.Ready;
import io.flotilla.message.InstallSnapshotRequest;
import io.flotilla.message.InstallSnapshotResponse;
import io.flotilla.message.RaftMessage;
import io.flotilla.spi.StateMachine;
import io.flotilla.spi.Storage;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The node's snapshot machinery in one place (§7): taking and merging its own snapshots ({@link SnapshotTaker}),
 * streaming the latest one to followers that need it ({@link SnapshotSender}) and receiving one from the leader
 * ({@link SnapshotReceiver}). The event loop feeds it the snapshot parts of each {@link Ready}, ticks, applied
 * indices and InstallSnapshot answers.
 *
 * <p><b>Threading:</b> every method runs on the event loop.
 */
final class SnapshotCoordinator {
    private final SnapshotTaker taker;
    private final SnapshotSender sender;
    private final SnapshotReceiver receiver;
    private long senderTerm = -1;

    SnapshotCoordinator(NodeId self, RaftConfig config, Storage storage, StateMachine stateMachine, Applier applier,
            NodeRuntime runtime, SnapshotHost host, long snapshotIndex, int storedDeltas) {
        this.taker = new SnapshotTaker(self, config.snapshots(), storage.snapshots(), stateMachine, applier,
                runtime.snapshotExecutor(), host, snapshotIndex, storedDeltas);
        this.sender = new SnapshotSender(self, config.snapshots(), storage.snapshots(), runtime, host,
                config.electionTicks());
        this.receiver = new SnapshotReceiver(self, storage.snapshots(), runtime.snapshotExecutor(), host,
                taker::onReceived);
    }

    /** Carries out the snapshot parts of a Ready (the log and state-machine parts go through the pipelines). */
    void onReady(Ready ready, long term) {
        if (!ready.snapshotTargets().isEmpty()) {
            sender.start(ready.snapshotTargets(), term);
        }
        for (InstallSnapshotRequest chunk : ready.snapshotChunks()) {
            receiver.onChunk(chunk);
        }
        List<LogEntry> committed = ready.committedEntries();
        if (!committed.isEmpty()) {
            taker.onCommitted(committed);
        }
    }

    /** An inbound message, before the protocol sees it: chunk acknowledgements drive the sender. */
    void onMessage(RaftMessage m) {
        if (m instanceof InstallSnapshotResponse) {
            sender.onResponse((InstallSnapshotResponse) m);
        }
    }

    void onTick() {
        sender.onTick();
    }

    void onApplied(long appliedIndex) {
        taker.onApplied(appliedIndex);
    }

    /** The role or term changed: a former leader's transfers stop. */
    void onLeadership(boolean leader, long term) {
        if (!leader || term != senderTerm) {
            sender.cancelAll();
        }
        senderTerm = leader ? term : -1;
    }

    void takeNow(CompletableFuture<SnapshotMeta> result) {
        taker.takeNow(result);
    }

    void close() {
        sender.cancelAll();
        receiver.abort();
    }

    /** @return transfers in progress (tests) */
    int activeTransfers() {
        return sender.activeTransfers();
    }
}
