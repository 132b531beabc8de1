package io.flotilla.transport.http.internal;

import io.flotilla.NodeId;
import io.flotilla.message.RaftMessage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Restores each sender's batch order on the receiving side, so that pipelined requests (several in flight per
 * peer, possibly handled on different server threads, and over HTTP/1.1 on different connections) reach the node
 * in the order they were sent, as one ordered stream would. Raft tolerates reordering, but in-order delivery keeps
 * pipelined AppendEntries from being rejected and resent (§5.3).
 *
 * <h2>How</h2>
 * A sender's lane numbers its requests {@code epoch.sequence}: a fresh random epoch whenever the lane (re)starts,
 * and sequences 0, 1, 2, ... within it. The handler calls {@link #open} when a request's headers arrive and
 * {@link #complete} once its body is decoded (with the messages) or refused (with none). Batches are handed on
 * strictly by sequence: a completed batch waits while an earlier sequence is still open. A sequence that never
 * arrives (its request was lost with a connection) would block its successors, so a gap that is not even open
 * is skipped after {@code gapNanos}. Another epoch from the same sender resets its state (a restart or a failed
 * lane, whose earlier requests are gone), after flushing what was waiting.
 *
 * <h2>Threading</h2>
 * Thread-safe: one lock per sender. Delivery runs under that lock, which is fine because the node's
 * {@link io.flotilla.spi.MessageHandler} never blocks. Memory is bounded by the senders' in-flight limit.
 */
final class InboundSequencer {
    private final Timer timer;
    private final long gapNanos;
    private final Consumer<List<RaftMessage>> deliver;
    private final Map<NodeId, Sender> senders = new HashMap<>(); // guarded by itself

    /** Schedules a task after a delay; returns what cancels it. Thread-safe. */
    interface Timer {
        Runnable schedule(Runnable task, long delayNanos);
    }

    InboundSequencer(Timer timer, long gapNanos, Consumer<List<RaftMessage>> deliver) {
        this.timer = timer;
        this.gapNanos = gapNanos;
        this.deliver = deliver;
    }

    /** A request from {@code from} with this epoch and sequence has started. */
    void open(NodeId from, long epoch, long sequence) {
        Sender s = sender(from);
        synchronized (s) {
            s.switchTo(epoch);
            if (sequence >= s.next) {
                s.pending.putIfAbsent(sequence, OPEN);
            }
        }
    }

    /**
     * The request has ended: {@code batch} is its messages, or empty if it was refused or failed. Delivers it
     * and every later batch now unblocked, or holds it until its predecessors end.
     */
    void complete(NodeId from, long epoch, long sequence, List<RaftMessage> batch) {
        Sender s = sender(from);
        synchronized (s) {
            if (epoch != s.epoch || sequence < s.next) {
                // Late: its lane was reset or its gap skipped. Still valid Raft messages; deliver at once.
                deliver.accept(batch);
                return;
            }
            s.pending.put(sequence, batch);
            s.drain();
        }
    }

    /** Forgets a sender removed from the cluster. */
    void forget(NodeId from) {
        synchronized (senders) {
            senders.remove(from);
        }
    }

    private Sender sender(NodeId from) {
        synchronized (senders) {
            return senders.computeIfAbsent(from, k -> new Sender());
        }
    }

    // A unique instance, compared by identity (List.of() is a shared singleton and would equal a refused batch).
    private static final List<RaftMessage> OPEN = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(0));

    private final class Sender {
        long epoch;
        boolean started;
        long next;
        // Invariant: keys >= next; a value == OPEN (by identity) is a request still being received.
        final TreeMap<Long, List<RaftMessage>> pending = new TreeMap<>();
        Runnable gapTimer; // cancels the pending gap timer

        void switchTo(long newEpoch) {
            if (started && newEpoch == epoch) {
                return;
            }
            flushAll();
            started = true;
            epoch = newEpoch;
            next = 0;
        }

        void drain() {
            while (!pending.isEmpty()) {
                Map.Entry<Long, List<RaftMessage>> head = pending.firstEntry();
                if (head.getKey() == next) {
                    if (head.getValue() == OPEN) {
                        cancelGapTimer();
                        return; // the next request is still arriving: wait for it
                    }
                    pending.pollFirstEntry();
                    next++;
                    deliver.accept(head.getValue());
                    continue;
                }
                // A gap: sequence `next` has not even started. Wait a little, then skip it.
                if (gapTimer == null) {
                    gapTimer = timer.schedule(this::gapExpired, gapNanos);
                }
                return;
            }
            cancelGapTimer();
        }

        private void gapExpired() {
            synchronized (this) {
                gapTimer = null;
                if (pending.isEmpty() || pending.firstKey() == next) {
                    drain();
                    return;
                }
                org.slf4j.LoggerFactory.getLogger(InboundSequencer.class).info("TEMP gap skipped {} -> {}", next, pending.firstKey());
                next = pending.firstKey();
                drain();
            }
        }

        private void cancelGapTimer() {
            if (gapTimer != null) {
                gapTimer.run();
                gapTimer = null;
            }
        }

        private void flushAll() {
            cancelGapTimer();
            for (List<RaftMessage> batch : pending.values()) {
                if (batch != OPEN) {
                    deliver.accept(batch);
                }
            }
            pending.clear();
        }
    }
}
