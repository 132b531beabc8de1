package io.flotilla.core.internal.loop;

import io.flotilla.Bytes;
import io.flotilla.ClusterConfig;
import io.flotilla.EntryKind;
import io.flotilla.IndeterminateStateException;
import io.flotilla.LogEntry;
import io.flotilla.ProposalDroppedException;
import io.flotilla.ProposalResult;
import io.flotilla.SnapshotMeta;
import io.flotilla.core.internal.snapshot.LogicalChain;
import io.flotilla.spi.SnapshotReader;
import io.flotilla.spi.StateMachine;
import io.flotilla.spi.Storage;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Iterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apply pipeline: applies committed entries to the {@link StateMachine} in log order, exactly once, on the
 * runtime's apply executor, completes the matching proposal futures, and serves linearizable reads once the
 * applied index reaches their read index (thesis §6.4).
 *
 * <p>{@link EntryKind#COMMAND} entries go to {@link StateMachine#apply}; {@link EntryKind#NO_OP} and
 * {@link EntryKind#CONFIGURATION} entries only advance the applied index (configurations are the protocol's
 * business). A proposal completes only if the entry committed at its index has the term it was appended with;
 * otherwise another leader overwrote it and it fails with a retry-safe {@link ProposalDroppedException}.
 *
 * <p><b>Threading:</b> {@link #submit} may be called from any thread (the storage thread does); all state-machine
 * calls and all other state are confined to the apply executor. <b>Failure:</b> an exception from
 * {@code apply}, or a gap in the committed entries, halts the pipeline and reports the node FAILED.
 */
@Singleton
public final class Applier {
    private static final Logger LOG = LoggerFactory.getLogger(Applier.class);

    private final StateMachine stateMachine;
    private final Storage storage;
    private final NodeRuntime runtime;
    private final PendingOps pending;
    private final dagger.Lazy<NodeCallbacks> callbacks;
    // Apply-thread confined after start(); start() happens-before every submit() through the executor.
    private long appliedIndex;
    // The term of the entry at appliedIndex and the configuration in force there (thesis §4.1): what a snapshot of
    // the state machine's current state records.
    private long appliedTerm;
    private ClusterConfig appliedConfig;
    private final ArrayDeque<PendingRead> waitingReads = new ArrayDeque<>();
    private volatile boolean halted;

    /**
     * @param stateMachine the application
     * @param storage holds the snapshots a follower installs
     * @param runtime supplies the apply executor
     * @param pending the futures to complete
     * @param callbacks where applied indices and failures are reported
     */
    @Inject
    public Applier(StateMachine stateMachine, Storage storage, NodeRuntime runtime, PendingOps pending,
            dagger.Lazy<NodeCallbacks> callbacks) {
        this.stateMachine = stateMachine;
        this.storage = storage;
        this.runtime = runtime;
        this.pending = pending;
        this.callbacks = callbacks;
    }

    /**
     * Sets the index the state machine already reflects (the restored snapshot's, or 0). Call before the first
     * {@link #submit}.
     *
     * @param appliedIndex the starting applied index
     * @param appliedTerm the term of the entry there
     * @param config the configuration in force there
     */
    void start(long appliedIndex, long appliedTerm, ClusterConfig config) {
        this.appliedIndex = appliedIndex;
        this.appliedTerm = appliedTerm;
        this.appliedConfig = config;
    }

    /**
     * Runs a task on the apply thread after every batch submitted before it (to capture a snapshot of the state
     * exactly as applied so far). Dropped once halted.
     *
     * @param task the task; it may call {@link #appliedIndex()}, {@link #appliedTerm()}, {@link #appliedConfig()}
     * @return whether it was queued
     */
    boolean execute(Runnable task) {
        if (halted) {
            return false;
        }
        try {
            runtime.applyExecutor().execute(() -> {
                if (!halted) {
                    task.run();
                }
            });
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return false;
        }
    }

    /** Stops applying: later batches are dropped (their futures are failed by the node's sweep). */
    void halt() {
        halted = true;
    }

    /**
     * Queues a batch; runs it on the apply executor after every earlier batch.
     *
     * @param batch committed entries and confirmed reads
     */
    void submit(ApplyBatch batch) {
        if (!batch.isEmpty()) {
            try {
                runtime.applyExecutor().execute(() -> run(batch));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                halt(); // the runtime is closing; the node's close sweep fails what waited on this batch
            }
        }
    }

    private void run(ApplyBatch batch) {
        if (halted) {
            return;
        }
        try {
            applyAndServe(batch);
        } catch (Throwable t) {
            halt();
            callbacks.get().failed("apply pipeline", t);
        }
    }

    private void applyAndServe(ApplyBatch batch) throws IOException {
        long before = appliedIndex;
        if (batch.restore().isPresent()) {
            restore(batch.restore().get());
        }
        for (LogEntry e : batch.entries()) {
            if (e.index() <= appliedIndex) {
                continue; // already applied (e.g. covered by the restored snapshot): exactly once
            }
            if (e.index() != appliedIndex + 1) {
                halt();
                callbacks.get().failed("apply", new IllegalStateException(
                        "committed entries skip from applied index " + appliedIndex + " to " + e.index()));
                return;
            }
            Bytes result = Bytes.EMPTY;
            if (e.kind() == EntryKind.COMMAND) {
                try {
                    result = stateMachine.apply(e.index(), e.payload());
                    if (result == null) {
                        throw new NullPointerException("StateMachine.apply returned null at index " + e.index());
                    }
                } catch (Throwable t) {
                    halt();
                    callbacks.get().failed("state machine apply at index " + e.index(), t);
                    return;
                }
            }
            appliedIndex = e.index();
            appliedTerm = e.term();
            if (e.kind() == EntryKind.CONFIGURATION) {
                appliedConfig = ClusterConfig.fromBytes(e.payload());
            }
            complete(e, result);
        }
        waitingReads.addAll(batch.reads());
        serveReads();
        if (appliedIndex != before) {
            callbacks.get().applied(appliedIndex);
        }
    }

    /**
     * §7: replaces the state with the snapshot installed from the leader. The store's latest chain is restored, which
     * may already be a later snapshot than the one this batch names (a second install, or a stale transfer the log
     * had moved past, committed before this task ran): its state is then the state at its own index, and the entries
     * up to there that follow in later batches are skipped as already applied. A chain this state already covers is
     * not restored again.
     */
    private void restore(SnapshotMeta meta) throws IOException {
        long index = meta.lastIncludedIndex();
        SnapshotReader stored = storage.snapshots().openLatest().orElseThrow(() -> new IllegalStateException(
                "the snapshot installed at " + index + " is not in the snapshot store"));
        SnapshotMeta restored;
        try (LogicalChain chain = LogicalChain.open(stored)) {
            restored = chain.meta();
            if (restored.lastIncludedIndex() < index) {
                throw new IllegalStateException("the snapshot store's latest snapshot is at "
                        + restored.lastIncludedIndex() + ", below the installed " + index);
            }
            if (restored.lastIncludedIndex() <= appliedIndex) {
                return; // a later install was restored already
            }
            stateMachine.restore(chain);
        }
        long at = restored.lastIncludedIndex();
        LOG.info("restored the state machine from the leader's snapshot at index {} (was at {})", at, appliedIndex);
        appliedIndex = at;
        appliedTerm = restored.lastIncludedTerm();
        appliedConfig = restored.config();
        pending.failAppendedThrough(at, i -> new IndeterminateStateException("a snapshot from the leader"
                + " replaced this node's log up to index " + at + "; whether the proposal at " + i
                + " committed is unknown here", i, null));
    }

    private void complete(LogEntry e, Bytes result) {
        PendingProposal p = pending.takeAppended(e.index());
        if (p == null) {
            return; // proposed on another node, or before a restart
        }
        if (p.term == e.term()) {
            p.future.complete(new ProposalResult(e.index(), e.term(), result));
        } else {
            p.future.completeExceptionally(new ProposalDroppedException("the proposal appended at index "
                    + e.index() + " in term " + p.term + " was overwritten by an entry of term " + e.term()
                    + " (§5.3); it did not commit"));
        }
    }

    private void serveReads() {
        Iterator<PendingRead> it = waitingReads.iterator();
        while (it.hasNext()) {
            PendingRead r = it.next();
            if (r.readIndex > appliedIndex) {
                continue;
            }
            it.remove();
            pending.readDone(r);
            if (r.future.isDone()) {
                continue;
            }
            try {
                Bytes answer = stateMachine.query(r.query);
                r.future.complete(answer == null ? Bytes.EMPTY : answer);
            } catch (Throwable t) {
                LOG.debug("state machine query failed", t);
                r.future.completeExceptionally(t);
            }
        }
    }

    /** @return the applied index; only meaningful on the apply thread (tests read it after draining) */
    long appliedIndex() {
        return appliedIndex;
    }

    /** @return the term of the last applied entry; apply thread only */
    long appliedTerm() {
        return appliedTerm;
    }

    /** @return the configuration in force at the applied index; apply thread only */
    ClusterConfig appliedConfig() {
        return appliedConfig;
    }
}
