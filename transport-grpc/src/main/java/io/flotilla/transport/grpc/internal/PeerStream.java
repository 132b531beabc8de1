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
 * queue: a slow or dead peer costs at most {@code maxQueuedBytes} plus that threshold.
 *
 * <h2>Failure, deadlines and reconnection</h2>
 * The stream is long-lived and has no overall deadline; liveness is checked instead by the connect timeout,
 * HTTP/2 keep-alive PINGs, and {@link #checkStall}, which cancels a stream that has had messages waiting but
 * could not write for {@code stallTimeout}. When the stream fails (peer restarted, connection lost, stall,
 * rejection), the queued messages are dropped (they are stale by the time a peer comes back), and the next
 * attempt is made after an exponential backoff with jitter between the configured bounds, reset as soon as a
 * stream is accepted. The backoff is ours: the channel's own reconnect backoff (up to two minutes) is
 * short-circuited with {@link ManagedChannel#resetConnectBackoff()} so a restarted peer is reached within
 * {@code reconnectBackoffMax}.
 *
 * <h2>Threading</h2>
 * {@link #offer} is thread-safe and non-blocking. Everything else, including every gRPC callback of the call,
 * runs on this stream's {@link SerialExecutor}, because {@link ClientCall} is not thread-safe.
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
            serial.execute(this::drain);
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

    private void openCall() {
        if (channel == null) {
            channel = channelFactory.get();
        } else if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
            channel.resetConnectBackoff();
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
        }
        stats.droppedStreamFailed.addAndGet(dropped);
        backoffNanos = backoffNanos == 0 ? backoffMinNanos : Math.min(backoffMaxNanos, backoffNanos * 2);
        long jittered = backoffNanos / 2 + ThreadLocalRandom.current().nextLong(backoffNanos / 2 + 1);
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
