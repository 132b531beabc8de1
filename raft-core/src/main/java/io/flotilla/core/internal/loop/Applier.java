package io.flotilla.core.internal.loop;

import io.flotilla.Bytes;
import io.flotilla.EntryKind;
import io.flotilla.LogEntry;
import io.flotilla.ProposalDroppedException;
import io.flotilla.ProposalResult;
import io.flotilla.spi.StateMachine;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
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
    private final NodeRuntime runtime;
    private final PendingOps pending;
    private final dagger.Lazy<NodeCallbacks> callbacks;
    // Apply-thread confined after start(); start() happens-before every submit() through the executor.
    private long appliedIndex;
    private final ArrayDeque<PendingRead> waitingReads = new ArrayDeque<>();
    private volatile boolean halted;

    /**
     * @param stateMachine the application
     * @param runtime supplies the apply executor
     * @param pending the futures to complete
     * @param callbacks where applied indices and failures are reported
     */
    @Inject
    public Applier(StateMachine stateMachine, NodeRuntime runtime, PendingOps pending,
            dagger.Lazy<NodeCallbacks> callbacks) {
        this.stateMachine = stateMachine;
        this.runtime = runtime;
        this.pending = pending;
        this.callbacks = callbacks;
    }

    /**
     * Sets the index the state machine already reflects (the restored snapshot's, or 0). Call before the first
     * {@link #submit}.
     *
     * @param appliedIndex the starting applied index
     */
    void start(long appliedIndex) {
        this.appliedIndex = appliedIndex;
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

    private void applyAndServe(ApplyBatch batch) {
        long before = appliedIndex;
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
            complete(e, result);
        }
        waitingReads.addAll(batch.reads());
        serveReads();
        if (appliedIndex != before) {
            callbacks.get().applied(appliedIndex);
        }
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
}
