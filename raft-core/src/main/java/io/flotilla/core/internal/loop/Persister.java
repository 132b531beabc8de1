package io.flotilla.core.internal.loop;

import io.flotilla.HardState;
import io.flotilla.LogEntry;
import io.flotilla.core.internal.protocol.LogCompaction;
import io.flotilla.message.RaftMessage;
import io.flotilla.spi.LogStore;
import io.flotilla.spi.Storage;
import io.flotilla.spi.Transport;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage pipeline: makes {@link PersistBatch}es durable on the runtime's storage executor, in submission
 * order, then releases what waited for them.
 *
 * <h2>Group commit</h2>
 * Batches queue while a write is in progress; the next run takes every queued batch and writes them as one
 * {@code LogStore.append} and at most one {@code StateStore.save} (the last hard state wins). A batch whose first
 * entry is at or below the stored last index replaces the log from there: the store is truncated first
 * ({@code truncateSuffix}, §5.3), and a later batch that overwrites an earlier queued one cuts it in memory.
 *
 * <h2>After durability</h2>
 * In this order: send every batch's {@code messagesAfterPersist} (§5.1: respond only after updating stable
 * storage), report {@code persisted(lastIndex, lastTerm)} to the loop, then hand each batch's committed entries
 * and reads to the {@link Applier} — so nothing is applied before the batch that carried it is durable.
 *
 * <h2>Applying without waiting</h2>
 * A batch's committed entries that are all at or below the log's durable last index, with no earlier apply work
 * still queued here, go to the {@link Applier} at once instead of waiting behind the write in progress: they are
 * durable already, and the applier still receives every batch in order. On a leader this is every commit (it
 * counts itself toward a quorum only once its own write is durable, §5.4.2 / thesis §10.2.1), so a commit is not
 * delayed by the next batch's {@code fsync}.
 *
 * <h2>Failure</h2>
 * Any exception from a store halts the pipeline for good (a failed {@code fsync} is never retried): the node is
 * told through {@link NodeCallbacks#failed}, no message of the failed or any later batch is sent, and nothing more
 * is written or applied.
 *
 * <p><b>Threading:</b> {@link #submit} is called from the loop; everything else runs on the storage executor,
 * or inline in {@code submit} for a {@link io.flotilla.spi.Capability#VOLATILE} store when the runtime allows it
 * ({@link NodeRuntime#writesVolatileStorageInline}).
 */
@Singleton
public final class Persister {
    private static final Logger LOG = LoggerFactory.getLogger(Persister.class);

    private final Storage storage;
    private final Transport transport;
    private final NodeRuntime runtime;
    private final Applier applier;
    private final dagger.Lazy<NodeCallbacks> callbacks;
    private final ConcurrentLinkedQueue<PersistBatch> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    // Batches submitted with apply work that the storage thread has not yet handed to the applier.
    private final java.util.concurrent.atomic.AtomicInteger applyBacklog = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean halted;
    // Volatile store and a runtime that allows it: batches are written on the loop thread, in submit().
    private boolean inline;
    // Storage-thread confined after start() (loop-thread confined when inline): the last index in the store.
    private long storedLastIndex;
    // Counters for tests and metrics (storage thread writes, anyone reads).
    private volatile long appendCalls;
    private volatile long saveCalls;

    /**
     * @param storage the stores written
     * @param transport sends the after-persist messages
     * @param runtime supplies the storage executor
     * @param applier receives committed entries after durability
     * @param callbacks where durability and failures are reported
     */
    @Inject
    public Persister(Storage storage, Transport transport, NodeRuntime runtime, Applier applier,
            dagger.Lazy<NodeCallbacks> callbacks) {
        this.storage = storage;
        this.transport = transport;
        this.runtime = runtime;
        this.applier = applier;
        this.callbacks = callbacks;
    }

    /**
     * Sets the stored last index recovered at start-up. Call before the first {@link #submit}.
     *
     * @param lastIndex the log store's last index
     */
    void start(long lastIndex) {
        this.storedLastIndex = lastIndex;
        this.inline = runtime.writesVolatileStorageInline()
                && storage.capabilities().contains(io.flotilla.spi.Capability.VOLATILE);
    }

    /** Stops the pipeline: queued and later batches are dropped unsent. */
    void halt() {
        halted = true;
    }

    boolean isHalted() {
        return halted;
    }

    /**
     * Queues a batch behind every earlier one; its apply work waits for it.
     *
     * @param batch the batch
     */
    void submit(PersistBatch batch) {
        submit(batch, 0); // as if nothing were durable yet: apply work waits for this batch
    }

    /**
     * Queues a batch behind every earlier one; its apply work goes to the applier at once when it is all durable
     * and nothing applied earlier still waits here.
     *
     * @param batch the batch
     * @param durableLastIndex the log's durable last index as the loop knows it now
     */
    void submit(PersistBatch batch, long durableLastIndex) {
        ApplyBatch apply = batch.apply();
        if (!apply.isEmpty()) {
            if (applyBacklog.get() == 0 && apply.restore().isEmpty()
                    && (apply.entries().isEmpty()
                            || apply.entries().get(apply.entries().size() - 1).index() <= durableLastIndex)) {
                applier.submit(apply);
                batch = batch.withoutApply();
                if (batch.isEmpty()) {
                    return;
                }
            } else {
                applyBacklog.incrementAndGet();
            }
        }
        queue.add(batch);
        if (inline) {
            drain(); // a volatile store: nothing to wait for, so no hand-off to the storage thread and back
            return;
        }
        if (scheduled.compareAndSet(false, true)) {
            try {
                runtime.storageExecutor().execute(this::drain);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                halt(); // the runtime is closing; the node's close sweep fails what waited on this batch
            }
        }
    }

    private void drain() {
        scheduled.set(false);
        List<PersistBatch> batches = new ArrayList<>();
        PersistBatch b;
        while ((b = queue.poll()) != null) {
            batches.add(b);
        }
        if (batches.isEmpty() || halted) {
            return;
        }
        List<LogEntry> merged = new ArrayList<>();
        HardState hardState = null;
        LogCompaction discard = null;
        long compactThrough = 0;
        try {
            for (PersistBatch batch : batches) {
                if (batch.compaction().isPresent() && batch.compaction().get().discardLog()) {
                    // §7: a follower installed a snapshot its log does not match: the log goes, whatever earlier
                    // batches meant to write to it; entries after the snapshot follow.
                    discard = batch.compaction().get();
                    merged.clear();
                    compactThrough = 0;
                }
                mergeInto(merged, batch.entries());
                if (batch.compaction().isPresent() && !batch.compaction().get().discardLog()) {
                    compactThrough = Math.max(compactThrough, batch.compaction().get().throughIndex());
                }
                if (batch.hardState().isPresent()) {
                    hardState = batch.hardState().get();
                }
            }
            if (discard != null) {
                // The log does not continue the snapshot: drop the divergent entries after it first (never
                // committed here: the snapshot is above this node's commit), then compact through it, which by the
                // LogStore contract empties the log (next append at through + 1). The other order would let a
                // store that keeps whole segments (compactPrefix "may keep some") hold stale entries at or below
                // the snapshot index, from another term, in front of the new ones: a restart would then take the
                // log for one that does not continue the snapshot and drop acknowledged entries.
                LogStore log = storage.log();
                long through = discard.throughIndex();
                if (log.lastIndex() > through && log.firstIndex() <= through + 1) {
                    log.truncateSuffix(through + 1);
                }
                log.compactPrefix(through);
                storedLastIndex = through;
            }
            if (!merged.isEmpty()) {
                long first = merged.get(0).index();
                if (first <= storedLastIndex) {
                    storage.log().truncateSuffix(first);
                }
                storage.log().append(merged);
                appendCalls++;
                storedLastIndex = merged.get(merged.size() - 1).index();
            }
            if (hardState != null) {
                storage.state().save(hardState);
                saveCalls++;
            }
            if (compactThrough > 0) {
                storage.log().compactPrefix(Math.min(compactThrough, storedLastIndex));
            }
        } catch (Throwable t) {
            halt();
            LOG.error("storage write failed; the node stops (never retried)", t);
            callbacks.get().failed("storage write", t);
            return;
        }
        if (halted) {
            return; // failed or closed meanwhile: send nothing more
        }
        for (PersistBatch batch : batches) {
            for (RaftMessage m : batch.messagesAfterPersist()) {
                send(m);
            }
        }
        if (!merged.isEmpty()) {
            LogEntry last = merged.get(merged.size() - 1);
            callbacks.get().persisted(last.index(), last.term());
        }
        for (PersistBatch batch : batches) {
            if (!batch.apply().isEmpty()) {
                applier.submit(batch.apply());
                applyBacklog.decrementAndGet();
            }
        }
    }

    /** Sends one message; a transport that breaks its never-throw contract loses the message, nothing more. */
    private void send(RaftMessage m) {
        try {
            transport.send(m);
        } catch (RuntimeException e) {
            LOG.warn("Transport.send threw (it must not); message to {} dropped", m.to(), e);
        }
    }

    /** Appends {@code next} to {@code merged}, cutting whatever of {@code merged} it replaces. */
    static void mergeInto(List<LogEntry> merged, List<LogEntry> next) {
        if (next.isEmpty()) {
            return;
        }
        long first = next.get(0).index();
        if (!merged.isEmpty()) {
            long mergedFirst = merged.get(0).index();
            long mergedLast = merged.get(merged.size() - 1).index();
            if (first <= mergedFirst) {
                merged.clear();
            } else if (first <= mergedLast) {
                merged.subList((int) (first - mergedFirst), merged.size()).clear();
            } else if (first != mergedLast + 1) {
                throw new IllegalStateException("entries to persist skip from " + mergedLast + " to " + first);
            }
        }
        merged.addAll(next);
    }

    long appendCalls() {
        return appendCalls;
    }

    long saveCalls() {
        return saveCalls;
    }
}
