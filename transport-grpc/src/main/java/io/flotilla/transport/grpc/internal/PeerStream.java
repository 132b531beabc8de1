package io.flotilla.transport.grpc.internal;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One outbound, ordered, flow-controlled stream to one peer (replication or snapshots), with its own bounded
 * queue and its own HTTP/2 connection.
 *
 * <h2>Flow control and memory</h2>
 * {@link #offer} appends an encoded message to a queue bounded in messages and bytes and returns at once;
 * when either bound would be exceeded the message is dropped and counted (Raft resends what matters). The
 * writer moves messages from the queue into the gRPC call only while {@link ClientCall#isReady()} is true, and
 * resumes on {@code onReady}, so gRPC/Netty never buffer more than about one flow-control threshold beyond the
 * queue: toward a slow or dead peer, this stream costs at most its byte bound plus that threshold.
 *
 * <h2>Failure, deadlines and reconnection</h2>
 * The stream is long-lived and has no overall deadline; liveness is checked instead by the connect timeout,
 * HTTP/2 keep-alive PINGs, and {@link #checkStall}, which cancels a stream that has had messages waiting but
 * could not write for {@code stallTimeout}. When the stream fails (peer restarted, connection lost, stall,
 * rejection), the queued messages are dropped (they are stale by the time a peer comes back), and the next
 * attempt is made after an exponential backoff with jitter between the configured bounds, reset as soon as a
 * stream is accepted.
 *
 * <p>A channel whose connection attempt failed stays in {@link ConnectivityState#TRANSIENT_FAILURE} until a new
 * connection is READY (gRPC's pick_first failure is "sticky"), and a call started on it fails at once. So no call
 * is started on such a channel. Instead, each time our backoff expires, the stream <em>probes</em>: it asks the
 * channel to connect now with {@link ManagedChannel#resetConnectBackoff()} (short-circuiting gRPC's own backoff
 * of up to two minutes) and lets the backoff grow; and it opens its call as soon as the channel reports READY,
 * whether from that probe or from gRPC's own retry. A peer that listens again is therefore reached within one
 * probe interval, at most {@code reconnectBackoffMax}, plus the connect and handshake time (a probe cannot cut
 * short an attempt still connecting, which the connect timeout bounds). Messages offered meanwhile wait in the
 * queue; those that already waited through a whole probe interval are dropped as stale at the next probe. When
 * the peer itself opens a stream to this node ({@link #peerReachedUs}), the backoff is reset and the stream
 * tries at once.
 *
 * <h2>Threading</h2>
 * {@link #offer} is thread-safe and non-blocking. Everything else, including every gRPC callback of the call,
 * runs on this stream's {@link SerialExecutor}, because {@link ClientCall} is not thread-safe. When the stream is
 * idle, {@link #offer} runs that work on the sender's thread itself ({@link SerialExecutor#executeInlineIfIdle}):
 * writing to the call only queues bytes for Netty, so the sender still never blocks, and one thread hand-off per
 * message is saved (c=128 on grpc + file: about +30 % writes/s, docs/benchmarks.md).
 */
final class PeerStream {
    private static final Logger LOG = LoggerFactory.getLogger(PeerStream.class);

    private final String name;
    private final MethodDescriptor<byte[], byte[]> method;
    private final Supplier<ManagedChannel> channelFactory;
    private final Metadata headers;
    private final SerialExecutor serial;
    private final SharedResources resources;
    private final TransportStats stats;
    private final int maxMessages;
    private final long maxBytes;
    private final long backoffMinNanos;
    private final long backoffMaxNanos;
    private final long stallNanos;
    private final long idleCloseNanos; // 0 = never

    // Invariant: queuedBytes == sum of queue's lengths; both guarded by this.
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private long queuedBytes;
    // Invariant: the first agedMessages messages of the queue were already queued at the previous probe (0 while
    // a call is open); guarded by this.
    private int agedMessages;
    private boolean closed;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();

    // Serial-executor state.
    private ManagedChannel channel;
    private ClientCall<byte[], byte[]> call;
    private long backoffNanos;
    private long retryAtNanos;
    private boolean retryScheduled;
    private long lastProgressNanos;
    private boolean outageLogged;
    private boolean watchingState; // a notifyWhenStateChanged callback is registered on the channel

    PeerStream(String name, MethodDescriptor<byte[], byte[]> method, Supplier<ManagedChannel> channelFactory,
            Metadata headers, SharedResources resources, TransportStats stats, int maxMessages, long maxBytes,
            long backoffMinNanos, long backoffMaxNanos, long stallNanos, long idleCloseNanos) {
        this.name = name;
        this.method = method;
        this.channelFactory = channelFactory;
        this.headers = headers;
        this.resources = resources;
        this.serial = new SerialExecutor(resources.callbackExecutor);
        this.stats = stats;
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        this.backoffMinNanos = backoffMinNanos;
        this.backoffMaxNanos = backoffMaxNanos;
        this.stallNanos = stallNanos;
        this.idleCloseNanos = idleCloseNanos;
    }

    /**
     * Queues an encoded message. Never blocks or throws.
     *
     * @return false if the message was dropped because the queue is full or the stream closed
     */
    boolean offer(byte[] frame) {
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (queue.size() >= maxMessages || queuedBytes + frame.length > maxBytes) {
                stats.droppedQueueFull.incrementAndGet();
                return false;
            }
            queue.add(frame);
            queuedBytes += frame.length;
        }
        if (drainScheduled.compareAndSet(false, true)) {
            // Idle stream: write on the sender's thread (one hand-off fewer per message); busy: queue behind.
            serial.executeInlineIfIdle(this::drain);
        }
        return true;
    }

    /** Returns the number of queued messages and bytes, for tests. */
    synchronized long[] queued() {
        return new long[] {queue.size(), queuedBytes};
    }

    /**
     * Stops the stream: drops the queue, cancels the call and shuts the channel down. Idempotent.
     *
     * @return completes, on the stream's executor, with the channel that was shut down (null if none was made)
     */
    CompletableFuture<ManagedChannel> close() {
        CompletableFuture<ManagedChannel> done = new CompletableFuture<>();
        synchronized (this) {
            closed = true;
            queue.clear();
            queuedBytes = 0;
        }
        serial.execute(() -> {
            if (call != null) {
                call.cancel("transport closed", null);
                call = null;
            }
            if (channel != null) {
                channel.shutdownNow();
            }
            done.complete(channel);
        });
        return done;
    }

    /** Periodic check, scheduled by the transport: cancels a stalled stream and closes an idle one. */
    void checkStall() {
        serial.execute(() -> {
            if (call == null || isClosed()) {
                return;
            }
            long idle = System.nanoTime() - lastProgressNanos;
            boolean empty;
            synchronized (this) {
                empty = queue.isEmpty();
            }
            if (!empty && !call.isReady() && idle > stallNanos) {
                LOG.warn("{}: no progress for {} ms with messages waiting; cancelling the stream", name,
                        TimeUnit.NANOSECONDS.toMillis(idle));
                call.cancel("stalled: peer did not accept data for " + TimeUnit.NANOSECONDS.toMillis(idle) + " ms",
                        null);
            } else if (empty && idleCloseNanos > 0 && idle > idleCloseNanos) {
                LOG.debug("{}: idle, closing the stream", name);
                ClientCall<byte[], byte[]> c = call;
                call = null;
                c.halfClose();
            }
        });
    }

    /**
     * Tells the stream that its peer has just opened a stream to this node, so it is up: resets the backoff and, if
     * this stream is down, tries to connect at once. Thread-safe and non-blocking.
     */
    void peerReachedUs() {
        serial.execute(() -> {
            if (call != null || channel == null || isClosed()) {
                return;
            }
            backoffNanos = 0;
            retryAtNanos = 0;
            boolean empty;
            synchronized (this) {
                empty = queue.isEmpty();
            }
            if (!empty) {
                drain();
            } else if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
                channel.resetConnectBackoff(); // connected before the next message, which then opens the call
            }
        });
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    private void drain() {
        drainScheduled.set(false);
        if (isClosed()) {
            return;
        }
        if (call == null) {
            synchronized (this) {
                if (queue.isEmpty()) {
                    return;
                }
            }
            if (channel == null) {
                channel = channelFactory.get();
            }
            ConnectivityState state = channel.getState(false);
            if (state == ConnectivityState.TRANSIENT_FAILURE) {
                awaitConnection(state);
                return;
            }
            long wait = retryAtNanos - System.nanoTime();
            if (wait > 0) {
                scheduleRetry(wait);
                return;
            }
            openCall();
        }
        write();
    }

    private void write() {
        ClientCall<byte[], byte[]> c = call;
        if (c == null) {
            return;
        }
        while (c.isReady()) {
            byte[] frame;
            synchronized (this) {
                frame = queue.poll();
                if (frame == null) {
                    return;
                }
                queuedBytes -= frame.length;
            }
            c.sendMessage(frame);
            lastProgressNanos = System.nanoTime();
            stats.sent.incrementAndGet();
        }
    }

    /**
     * Waits for a channel in TRANSIENT_FAILURE to connect instead of starting a call that would fail at once and
     * only double the backoff. When a probe is due, asks the channel to connect now and advances the backoff; in
     * any case opens the call (through {@link #drain}) as soon as the channel leaves {@code state}, and schedules
     * the next probe.
     */
    private void awaitConnection(ConnectivityState state) {
        long now = System.nanoTime();
        if (now - retryAtNanos >= 0) {
            dropAged();
            channel.resetConnectBackoff(); // connect now, not after gRPC's own backoff of 1 s up to 2 min
            backoffNanos = backoffNanos == 0 ? backoffMinNanos : Math.min(backoffMaxNanos, backoffNanos * 2);
            retryAtNanos = now + jittered(backoffNanos);
            LOG.debug("{}: peer unreachable, connecting; next probe in {} ms", name,
                    TimeUnit.NANOSECONDS.toMillis(retryAtNanos - now));
        }
        if (!watchingState) {
            watchingState = true;
            ManagedChannel watched = channel;
            watched.notifyWhenStateChanged(state, () -> serial.execute(() -> {
                watchingState = false;
                if (watched.getState(false) == ConnectivityState.READY) {
                    retryAtNanos = 0; // a fresh connection: do not wait out the rest of the backoff
                }
                drain();
            }));
        }
        scheduleRetry(Math.max(0, retryAtNanos - now)); // the next probe, while the peer is still unreachable
    }

    /** At a probe: drops the messages that have waited since the previous probe (stale by now). */
    private void dropAged() {
        int dropped = 0;
        synchronized (this) {
            for (; dropped < agedMessages && !queue.isEmpty(); dropped++) {
                queuedBytes -= queue.poll().length;
            }
            agedMessages = queue.size();
        }
        if (dropped > 0) {
            stats.droppedStreamFailed.addAndGet(dropped);
            LOG.debug("{}: dropped {} messages that waited through a whole probe interval", name, dropped);
        }
    }

    private long jittered(long nanos) {
        return nanos / 2 + ThreadLocalRandom.current().nextLong(nanos / 2 + 1);
    }

    private void openCall() {
        synchronized (this) {
            agedMessages = 0;
        }
        ClientCall<byte[], byte[]> c = channel.newCall(method, CallOptions.DEFAULT.withExecutor(serial));
        call = c;
        lastProgressNanos = System.nanoTime();
        stats.streamsOpened.incrementAndGet();
        c.start(new Listener(c), headers);
        c.request(1);
    }

    private void scheduleRetry(long delayNanos) {
        if (retryScheduled) {
            return;
        }
        retryScheduled = true;
        try {
            resources.eventLoopGroup.schedule(() -> serial.execute(() -> {
                retryScheduled = false;
                drain();
            }), delayNanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            retryScheduled = false; // shutting down
        }
    }

    private void failed(Status status) {
        stats.streamsFailed.incrementAndGet();
        int dropped;
        synchronized (this) {
            dropped = queue.size();
            queue.clear();
            queuedBytes = 0;
            agedMessages = 0;
        }
        stats.droppedStreamFailed.addAndGet(dropped);
        backoffNanos = backoffNanos == 0 ? backoffMinNanos : Math.min(backoffMaxNanos, backoffNanos * 2);
        long jittered = jittered(backoffNanos);
        retryAtNanos = System.nanoTime() + jittered;
        if (!outageLogged) {
            outageLogged = true;
            LOG.info("{}: stream failed ({}{}); dropped {} queued messages, retrying with backoff", name,
                    status.getCode(), status.getDescription() == null ? "" : ": " + status.getDescription(), dropped);
        } else {
            LOG.debug("{}: stream failed again ({}), next attempt in {} ms", name, status.getCode(),
                    TimeUnit.NANOSECONDS.toMillis(jittered));
        }
    }

    private final class Listener extends ClientCall.Listener<byte[]> {
        private final ClientCall<byte[], byte[]> owner;

        Listener(ClientCall<byte[], byte[]> owner) {
            this.owner = owner;
        }

        @Override
        public void onHeaders(Metadata responseHeaders) {
            if (owner == call) {
                // The peer accepted the stream: the outage, if any, is over.
                if (outageLogged) {
                    LOG.info("{}: stream re-established", name);
                }
                backoffNanos = 0;
                outageLogged = false;
            }
        }

        @Override
        public void onReady() {
            if (owner == call) {
                write();
            }
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
            if (owner != call) {
                return; // an earlier call, already replaced or closed on purpose
            }
            call = null;
            if (isClosed()) {
                return;
            }
            failed(status);
            boolean pending;
            synchronized (PeerStream.this) {
                pending = !queue.isEmpty();
            }
            if (pending) {
                scheduleRetry(Math.max(0, retryAtNanos - System.nanoTime()));
            }
        }
    }
}
