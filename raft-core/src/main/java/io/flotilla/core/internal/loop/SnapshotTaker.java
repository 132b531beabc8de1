package io.flotilla.core.internal.loop;

import io.flotilla.LogEntry;
import io.flotilla.NodeId;
import io.flotilla.SnapshotConfig;
import io.flotilla.SnapshotMeta;
import io.flotilla.core.internal.snapshot.LogicalChain;
import io.flotilla.core.internal.snapshot.SnapshotFormat;
import io.flotilla.spi.Capability;
import io.flotilla.spi.SnapshotImage;
import io.flotilla.spi.SnapshotKind;
import io.flotilla.spi.SnapshotReader;
import io.flotilla.spi.SnapshotStore;
import io.flotilla.spi.SnapshotWriter;
import io.flotilla.spi.StateMachine;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes this node's own snapshots (§7) and merges delta chains, without ever blocking the event loop: the state
 * machine captures a frozen view on the apply thread (cheap, in log order), the view is written to the snapshot
 * store on the snapshot thread while commands keep being applied, and only then is the log compacted.
 *
 * <p>A snapshot is due once {@link SnapshotConfig#thresholdEntries()} entries or
 * {@link SnapshotConfig#thresholdBytes()} bytes were committed since the last one. With a store that keeps
 * incremental snapshots, the state machine is asked for a delta first; once the chain holds
 * {@link SnapshotConfig#maxDeltaChain()} deltas it is merged in the background with
 * {@link StateMachine#mergeSnapshot}, or the next snapshot is full. After any failed snapshot the next one is full,
 * since the state machine may already have forgotten the changes the lost delta held.
 *
 * <p><b>Threading:</b> public-facing methods run on the loop; work runs on the apply and snapshot executors and
 * reports back through {@link SnapshotHost#post}. <b>Failure:</b> a failed snapshot is logged and retried later;
 * the previous snapshot and the log stay as they were, so no failure here stops the node.
 */
final class SnapshotTaker {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotTaker.class);

    private final NodeId self;
    private final SnapshotConfig cfg;
    private final SnapshotStore store;
    private final StateMachine stateMachine;
    private final Applier applier;
    private final Executor snapshotExecutor;
    private final SnapshotHost host;
    private final boolean incremental;
    // Loop-confined.
    private long lastIndex;
    private long bytesSince;
    private int deltas;
    private boolean taking;
    private boolean merging;
    private boolean forceFull;
    private final List<CompletableFuture<SnapshotMeta>> waiters = new ArrayList<>();

    SnapshotTaker(NodeId self, SnapshotConfig cfg, SnapshotStore store, StateMachine stateMachine, Applier applier,
            Executor snapshotExecutor, SnapshotHost host, long lastIndex, int storedDeltas) {
        this.self = self;
        this.cfg = cfg;
        this.store = store;
        this.stateMachine = stateMachine;
        this.applier = applier;
        this.snapshotExecutor = snapshotExecutor;
        this.host = host;
        this.incremental = store.capabilities().contains(Capability.INCREMENTAL_SNAPSHOTS) && cfg.maxDeltaChain() > 0;
        this.lastIndex = lastIndex;
        this.deltas = Math.max(0, storedDeltas);
    }

    /** Counts committed bytes toward the byte trigger. Loop thread. */
    void onCommitted(List<LogEntry> entries) {
        for (int i = 0, n = entries.size(); i < n; i++) {
            bytesSince += entries.get(i).sizeBytes();
        }
    }

    /** Takes a snapshot if one is due. Loop thread. */
    void onApplied(long appliedIndex) {
        if (taking) {
            return;
        }
        boolean byEntries = cfg.thresholdEntries() > 0 && appliedIndex - lastIndex >= cfg.thresholdEntries();
        boolean byBytes = cfg.thresholdBytes() > 0 && bytesSince >= cfg.thresholdBytes() && appliedIndex > lastIndex;
        if (byEntries || byBytes) {
            take();
        }
    }

    /** {@code RaftNode.takeSnapshot()}: takes one now (or joins the one running). Loop thread. */
    void takeNow(CompletableFuture<SnapshotMeta> result) {
        waiters.add(result);
        if (!taking) {
            take();
        }
    }

    /**
     * A snapshot from the leader was committed to the store: it is the new base. If the log had moved past it
     * (not installed), the state machine's changes are not tracked against it: the next snapshot is full.
     * Loop thread.
     */
    void onReceived(SnapshotMeta meta, boolean installed) {
        lastIndex = Math.max(lastIndex, meta.lastIncludedIndex());
        bytesSince = 0;
        deltas = 0;
        forceFull |= !installed;
    }

    private void take() {
        taking = true;
        long prev = lastIndex;
        boolean delta = incremental && !forceFull && prev > 0 && deltas < cfg.maxDeltaChain();
        boolean queued = applier.execute(() -> prepare(prev, delta));
        if (!queued) {
            done(null, null, new IllegalStateException("node " + self + " is stopping"));
        }
    }

    /** Apply thread: capture the view in log order. */
    private void prepare(long prev, boolean delta) {
        long index = applier.appliedIndex();
        if (index <= prev) {
            host.post(() -> done(null, null, null)); // nothing new since the last snapshot
            return;
        }
        SnapshotMeta meta = new SnapshotMeta(index, applier.appliedTerm(), applier.appliedConfig());
        SnapshotImage image;
        SnapshotKind kind;
        try {
            Optional<SnapshotImage> d = delta ? stateMachine.prepareDelta(index, prev) : Optional.empty();
            kind = d.isPresent() ? SnapshotKind.DELTA : SnapshotKind.FULL;
            image = d.isPresent() ? d.get() : stateMachine.prepareSnapshot(index);
        } catch (Throwable t) {
            host.post(() -> done(null, null, t));
            return;
        }
        SnapshotImage frozen = image;
        try {
            snapshotExecutor.execute(() -> write(meta, kind, frozen));
        } catch (RejectedExecutionException e) {
            frozen.close();
            host.post(() -> done(null, null, new IllegalStateException("node " + self + " is stopping")));
        }
    }

    /** Snapshot thread: stream the view into the store. */
    private void write(SnapshotMeta meta, SnapshotKind kind, SnapshotImage image) {
        try (image; SnapshotWriter w = store.create(meta, kind)) {
            OutputStream out = new BufferedOutputStream(w.output(), 64 << 10);
            SnapshotFormat.writeHeader(out);
            try (OutputStream part = SnapshotFormat.beginPart(out, kind, meta)) {
                image.writeTo(part);
            }
            SnapshotFormat.writeEnd(out);
            out.flush();
            w.commit();
        } catch (Throwable t) {
            host.failIfFatal("writing a snapshot", t);
            host.post(() -> done(null, null, t));
            return;
        }
        host.post(() -> done(meta, kind, null));
    }

    /** Loop thread: a take finished (meta null: nothing taken). */
    private void done(SnapshotMeta meta, SnapshotKind kind, Throwable failure) {
        taking = false;
        if (failure != null) {
            forceFull = true;
            LOG.warn("node {}: taking a snapshot failed; the previous one stays, the next will be full", self,
                    failure);
            for (CompletableFuture<SnapshotMeta> f : waiters) {
                f.completeExceptionally(failure);
            }
            waiters.clear();
            return;
        }
        if (meta == null) {
            Optional<SnapshotMeta> latest = Optional.empty();
            try {
                latest = store.latest();
            } catch (IOException e) {
                LOG.debug("reading the latest snapshot failed", e);
            }
            for (CompletableFuture<SnapshotMeta> f : waiters) {
                if (latest.isPresent()) {
                    f.complete(latest.get());
                } else {
                    f.completeExceptionally(new IllegalStateException("nothing applied yet: no snapshot to take"));
                }
            }
            waiters.clear();
            return;
        }
        lastIndex = meta.lastIncludedIndex();
        bytesSince = 0;
        forceFull = false;
        deltas = kind == SnapshotKind.FULL ? 0 : deltas + 1;
        LOG.debug("node {}: {} snapshot at {} taken ({} deltas on the base)", self, kind, lastIndex, deltas);
        host.protocol().snapshotTaken(meta);
        for (CompletableFuture<SnapshotMeta> f : waiters) {
            f.complete(meta);
        }
        waiters.clear();
        if (incremental && deltas >= cfg.maxDeltaChain() && !merging) {
            merging = true;
            try {
                snapshotExecutor.execute(this::merge);
            } catch (RejectedExecutionException e) {
                merging = false;
            }
        }
    }

    /** Snapshot thread: replace the chain by one full image the state machine merges from it. */
    private void merge() {
        boolean merged = false;
        try {
            Optional<SnapshotReader> latest = store.openLatest();
            if (latest.isPresent()) {
                try (LogicalChain chain = LogicalChain.open(latest.get());
                        SnapshotWriter w = store.create(chain.meta(), SnapshotKind.FULL)) {
                    OutputStream out = new BufferedOutputStream(w.output(), 64 << 10);
                    SnapshotFormat.writeHeader(out);
                    OutputStream part = SnapshotFormat.beginPart(out, SnapshotKind.FULL, chain.meta());
                    if (stateMachine.mergeSnapshot(chain.parts(), part)) {
                        part.close();
                        SnapshotFormat.writeEnd(out);
                        out.flush();
                        w.commit();
                        merged = true;
                    }
                }
            }
        } catch (Throwable t) {
            if (!host.failIfFatal("merging the snapshot chain", t)) {
                LOG.warn("node {}: merging the snapshot chain failed; the chain stays, the next snapshot is full",
                        self, t);
            }
        }
        boolean result = merged;
        host.post(() -> {
            merging = false;
            if (result) {
                deltas = 0;
            } else {
                forceFull = true;
            }
        });
    }
}
