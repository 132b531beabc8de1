package io.flotilla.core.internal.loop;

import io.flotilla.IndeterminateStateException;
import io.flotilla.RaftConfig;
import io.flotilla.RaftException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The futures of one node's client operations, in the three places they can wait: queued for the loop (not yet
 * appended), appended to the log (waiting to commit and apply), and reads (waiting for a read index, then for the
 * state machine).
 *
 * <p><b>Threading:</b> thread-safe. Callers enqueue from any thread; the loop moves proposals from the queue to
 * the appended map; the applier completes them; close and failure sweep everything from whatever thread they run
 * on. Completing a future twice is harmless (the first outcome wins), so sweeps may race with normal completion.
 */
@Singleton
public final class PendingOps {
    private final int maxQueued;
    private final ConcurrentLinkedQueue<PendingProposal> queued = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queuedCount = new AtomicInteger();
    // Invariant: keys are the log indices the proposals were appended at.
    private final ConcurrentSkipListMap<Long, PendingProposal> appended = new ConcurrentSkipListMap<>();
    private final ConcurrentHashMap<Long, PendingRead> reads = new ConcurrentHashMap<>();
    // takeSnapshot() futures not yet completed: a close or failure must not leave one waiting forever.
    private final java.util.Set<java.util.concurrent.CompletableFuture<?>> snapshots = ConcurrentHashMap.newKeySet();

    /**
     * @param config supplies {@link RaftConfig#maxPendingProposals()}
     */
    @Inject
    public PendingOps(RaftConfig config) {
        this.maxQueued = config.maxPendingProposals();
    }

    /** @return whether the proposal was queued; false when {@code maxPendingProposals} are already waiting */
    boolean offer(PendingProposal p) {
        if (queuedCount.incrementAndGet() > maxQueued) {
            queuedCount.decrementAndGet();
            return false;
        }
        queued.add(p);
        return true;
    }

    /** @return the next queued proposal, or null; loop thread */
    PendingProposal pollQueued() {
        PendingProposal p = queued.poll();
        if (p != null) {
            queuedCount.decrementAndGet();
        }
        return p;
    }

    int queuedCount() {
        return queuedCount.get();
    }

    void appended(PendingProposal p) {
        appended.put(p.index, p);
    }

    /** @return the proposal appended at {@code index}, removing it */
    PendingProposal takeAppended(long index) {
        return appended.remove(index);
    }

    int appendedCount() {
        return appended.size();
    }

    void addRead(PendingRead r) {
        reads.put(r.readId, r);
    }

    PendingRead read(long readId) {
        return reads.get(readId);
    }

    void readDone(PendingRead r) {
        reads.remove(r.readId, r);
    }

    int readCount() {
        return reads.size();
    }

    /**
     * Fails the appended proposals above {@code committedIndex}: leadership was lost, so whether they commit is
     * unknown.
     *
     * @param committedIndex the highest index already handed to the applier as committed
     * @param error builds the exception for a proposal's index
     */
    void failAppendedAbove(long committedIndex, Function<Long, RaftException> error) {
        Iterator<Map.Entry<Long, PendingProposal>> it = appended.tailMap(committedIndex, false).entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, PendingProposal> e = it.next();
            it.remove();
            e.getValue().future.completeExceptionally(error.apply(e.getKey()));
        }
    }

    /**
     * Fails the appended proposals at or below {@code index}: a snapshot installed from the leader covers them, so
     * this node never learns their individual outcome.
     *
     * @param index the snapshot's last included index
     * @param error builds the exception for a proposal's index
     */
    void failAppendedThrough(long index, Function<Long, RaftException> error) {
        Iterator<Map.Entry<Long, PendingProposal>> it = appended.headMap(index, true).entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, PendingProposal> e = it.next();
            it.remove();
            e.getValue().future.completeExceptionally(error.apply(e.getKey()));
        }
    }

    /**
     * Fails the reads whose read index is not confirmed yet.
     *
     * @param error builds the exception
     */
    void failUnconfirmedReads(Supplier<RaftException> error) {
        for (PendingRead r : reads.values()) {
            if (!r.confirmed && reads.remove(r.readId, r)) {
                r.future.completeExceptionally(error.get());
            }
        }
    }

    /**
     * Tracks a {@code takeSnapshot()} future until it completes, so that {@link #failAll} can fail it.
     *
     * @param future the future
     */
    void trackSnapshot(java.util.concurrent.CompletableFuture<?> future) {
        snapshots.add(future);
        future.whenComplete((v, t) -> snapshots.remove(future));
    }

    /**
     * Fails everything: queued proposals, reads and snapshot requests with {@code notAppended}, appended proposals
     * with an {@link IndeterminateStateException} caused by {@code cause}.
     *
     * @param notAppended builds the exception for operations that certainly did not take effect
     * @param message the message of the indeterminate failures
     * @param cause their cause, or null
     */
    void failAll(Supplier<RaftException> notAppended, String message, Throwable cause) {
        for (java.util.concurrent.CompletableFuture<?> f : snapshots) {
            f.completeExceptionally(notAppended.get()); // never taken, or its result will not be reported
        }
        PendingProposal p;
        while ((p = pollQueued()) != null) {
            p.future.completeExceptionally(notAppended.get());
        }
        Iterator<Map.Entry<Long, PendingProposal>> it = appended.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, PendingProposal> e = it.next();
            it.remove();
            e.getValue().future.completeExceptionally(new IndeterminateStateException(message, e.getKey(), cause));
        }
        for (PendingRead r : reads.values()) {
            if (reads.remove(r.readId, r)) {
                r.future.completeExceptionally(notAppended.get());
            }
        }
    }
}
