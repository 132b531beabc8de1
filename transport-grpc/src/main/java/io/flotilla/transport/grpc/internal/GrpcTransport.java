package io.flotilla.transport.grpc.internal;

import io.flotilla.NodeId;
import io.flotilla.message.InstallSnapshotRequest;
import io.flotilla.message.RaftMessage;
import io.flotilla.spi.Capability;
import io.flotilla.spi.MessageHandler;
import io.flotilla.spi.Transport;
import io.flotilla.spi.TransportContext;
import io.flotilla.transport.grpc.GrpcTransportOptions;
import io.flotilla.transport.grpc.GrpcTransportOptions.Security;
import io.flotilla.wire.internal.WireCodec;
import io.flotilla.wire.internal.WireFormatException;
import io.flotilla.wire.internal.WireLimits;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Transport} over gRPC on Netty (grpc-netty-shaded).
 *
 * <h2>Streams</h2>
 * For every peer this node opens two long-lived client-streaming calls, each on its own HTTP/2 connection:
 * {@code Replicate} carries every message except snapshot chunks, in send order; {@code Snapshot} carries
 * {@link InstallSnapshotRequest} chunks, so a multi-megabyte chunk never sits in front of a heartbeat, neither
 * in a queue nor in a TCP buffer ({@link Capability#SEPARATE_SNAPSHOT_CHANNEL}). Replies travel on the
 * replying node's own streams. See {@link PeerStream} for queueing, flow control, deadlines and reconnection, and
 * {@link InboundService} for what the receiving side checks.
 *
 * <h2>Threading and blocking</h2>
 * {@link #send} is thread-safe and never blocks or throws: it encodes the message on the caller's thread (so
 * the byte bound is exact) and appends it to the peer's bounded queue. All network I/O runs on the shared
 * Netty event loop ({@link SharedResources}). Inbound messages are decoded, checked and handed to the
 * {@link MessageHandler} directly on the Netty I/O thread of their connection (the server uses a direct executor),
 * so the handler must not block. The outbound side (client-call callbacks and the per-peer writers) runs on the
 * shared callback pool. There is no thread per peer or per message.
 *
 * <h2>Lifecycle</h2>
 * {@link #start} binds (failing with {@link IOException}), {@link #close} cancels every stream, stops the server
 * and channels, waits up to {@code shutdownTimeout}, and releases its reference to the shared threads.
 */
public final class GrpcTransport implements Transport {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcTransport.class);
    private static final long SNAPSHOT_IDLE_CLOSE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final URI listenAddress;
    private final TransportContext context;
    private final GrpcTransportOptions options;
    private final WireCodec codec;
    private final TransportStats stats = new TransportStats();
    private final Metadata outboundHeaders = new Metadata();

    private final Object lock = new Object();
    // Replaced whole under lock; read without it by send().
    private volatile Map<NodeId, Peer> peers = Map.of();
    private volatile boolean closed;
    private SharedResources resources; // guarded by lock
    private Server server; // guarded by lock
    private SslContext clientTls; // guarded by lock
    private URI boundAddress; // guarded by lock
    private ScheduledFuture<?> watchdog; // guarded by lock

    private GrpcTransport(URI listenAddress, TransportContext context, GrpcTransportOptions options) {
        this.listenAddress = listenAddress;
        this.context = context;
        this.options = options;
        this.codec = new WireCodec(new WireLimits(options.maxMessageBytes(), options.maxEntriesPerMessage()));
        outboundHeaders.put(Frames.CLUSTER_ID, context.clusterId().value());
        outboundHeaders.put(Frames.NODE_ID, context.self().value());
    }

    /**
     * Creates an unstarted transport.
     *
     * @param listenAddress where to listen; its scheme must match the security mode
     * @param context the cluster and node served
     * @param options the options
     * @return the transport
     * @throws IllegalArgumentException if the address is malformed or its scheme does not match
     */
    public static GrpcTransport create(URI listenAddress, TransportContext context, GrpcTransportOptions options) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(options, "options");
        String problem = addressProblem(listenAddress, options);
        if (problem != null) {
            throw new IllegalArgumentException("invalid listen address: " + problem);
        }
        return new GrpcTransport(listenAddress, context, options);
    }

    /** Returns why {@code address} cannot be used under {@code options}, or null if it can. */
    static String addressProblem(URI address, GrpcTransportOptions options) {
        if (address == null) {
            return "address is null";
        }
        if (!options.scheme().equals(address.getScheme())) {
            return address + " must use the " + options.scheme() + ":// scheme under " + options.security()
                    + " security (" + GrpcTransportOptions.PLAINTEXT_SCHEME + ":// is plaintext, "
                    + GrpcTransportOptions.TLS_SCHEME + ":// is TLS)";
        }
        if (address.getHost() == null || address.getPort() < 0) {
            return address + " must have the form " + options.scheme() + "://host:port";
        }
        return null;
    }

    @Override
    public void start(MessageHandler handler) throws IOException {
        Objects.requireNonNull(handler, "handler");
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("transport is closed");
            }
            if (resources != null) {
                throw new IllegalStateException("transport already started");
            }
            SharedResources shared = SharedResources.acquire(options.ioThreads(), options.callbackThreads());
            try {
                InboundService inbound = new InboundService(context.clusterId(), context.self(), codec, handler,
                        id -> peers.containsKey(id), stats, () -> closed, this::peerReachedUs);
                NettyServerBuilder b = NettyServerBuilder
                        .forAddress(new InetSocketAddress(listenAddress.getHost(), listenAddress.getPort()))
                        .bossEventLoopGroup(shared.eventLoopGroup)
                        .workerEventLoopGroup(shared.eventLoopGroup)
                        .channelType(NioServerSocketChannel.class)
                        // Inbound callbacks run on the Netty I/O thread: decoding is cheap and the node's handler
                        // never blocks (MessageHandler contract), so a hop through the callback pool only adds a
                        // thread wake-up to every message's latency.
                        .directExecutor()
                        .maxInboundMessageSize(options.maxMessageBytes())
                        .addStreamTracerFactory(inbound.oversizeTracer()) // logs and counts what that limit rejects
                        .maxInboundMetadataSize(8192)
                        .maxConcurrentCallsPerConnection(16)
                        .keepAliveTime(options.keepAliveTime().toNanos(), TimeUnit.NANOSECONDS)
                        .keepAliveTimeout(options.keepAliveTimeout().toNanos(), TimeUnit.NANOSECONDS)
                        .permitKeepAliveTime(1, TimeUnit.SECONDS)
                        .permitKeepAliveWithoutCalls(true)
                        .handshakeTimeout(options.connectTimeout().toNanos(), TimeUnit.NANOSECONDS)
                        .addService(inbound.definition());
                if (options.security() != Security.PLAINTEXT) {
                    b.sslContext(TlsContexts.server(options));
                    clientTls = TlsContexts.client(options);
                }
                server = b.build().start();
            } catch (IOException | RuntimeException e) {
                shared.release(options.shutdownTimeout().toMillis());
                clientTls = null;
                if (e instanceof IOException) {
                    throw new IOException("cannot listen on " + listenAddress + ": " + e.getMessage(), e);
                }
                throw new IOException("cannot start gRPC transport on " + listenAddress + ": " + e, e);
            }
            resources = shared;
            try {
                boundAddress = new URI(listenAddress.getScheme(), null, listenAddress.getHost(), server.getPort(),
                        null, null, null);
            } catch (URISyntaxException e) {
                throw new AssertionError(e);
            }
            long period = Math.max(100, options.stallTimeout().toMillis() / 4);
            watchdog = shared.eventLoopGroup.scheduleWithFixedDelay(this::checkStreams, period, period,
                    TimeUnit.MILLISECONDS);
            for (Peer p : peers.values()) {
                p.ensureStreams();
            }
            LOG.info("{}: gRPC transport listening on {} ({})", context.self(), boundAddress, options.security());
        }
    }

    @Override
    public URI localAddress() {
        synchronized (lock) {
            if (boundAddress == null) {
                throw new IllegalStateException("transport not started");
            }
            return boundAddress;
        }
    }

    @Override
    public void send(RaftMessage message) {
        try {
            if (closed || message == null) {
                return;
            }
            Peer peer = peers.get(message.to());
            if (peer == null || peer.replicate == null) {
                stats.droppedUnknownPeer.incrementAndGet();
                LOG.debug("{}: dropped {} to unknown or unstarted peer {}", context.self(),
                        message.getClass().getSimpleName(), message.to());
                return;
            }
            byte[] frame;
            try {
                frame = codec.encode(context.clusterId(), message);
            } catch (WireFormatException e) {
                stats.droppedTooLarge.incrementAndGet();
                LOG.warn("{}: dropped a message that cannot be sent: {}", context.self(), e.getMessage());
                return;
            }
            (message instanceof InstallSnapshotRequest ? peer.snapshot : peer.replicate).offer(frame);
        } catch (RuntimeException | Error e) {
            // The contract: send never throws. Anything here is a bug; log it and drop the message.
            LOG.error("{}: unexpected failure sending a message; dropped", context.self(), e);
        }
    }

    @Override
    public void updatePeers(Map<NodeId, URI> newPeers) {
        List<Peer> removed = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            Map<NodeId, Peer> next = new HashMap<>();
            for (Map.Entry<NodeId, URI> e : newPeers.entrySet()) {
                NodeId id = e.getKey();
                if (id.equals(context.self())) {
                    continue;
                }
                String problem = addressProblem(e.getValue(), options);
                if (problem != null) {
                    LOG.error("{}: ignoring peer {}: {}", context.self(), id, problem);
                    continue;
                }
                Peer old = peers.get(id);
                if (old != null && old.address.equals(e.getValue())) {
                    next.put(id, old);
                } else {
                    if (old != null) {
                        removed.add(old);
                    }
                    Peer p = new Peer(id, e.getValue());
                    if (resources != null) {
                        p.ensureStreams();
                    }
                    next.put(id, p);
                }
            }
            for (Map.Entry<NodeId, Peer> e : peers.entrySet()) {
                if (!next.containsKey(e.getKey())) {
                    removed.add(e.getValue());
                }
            }
            peers = Map.copyOf(next);
        }
        for (Peer p : removed) {
            p.close();
        }
    }

    @Override
    public Set<Capability> capabilities() {
        return options.security() == Security.PLAINTEXT
                ? Set.of(Capability.SEPARATE_SNAPSHOT_CHANNEL)
                : Set.copyOf(EnumSet.of(Capability.SEPARATE_SNAPSHOT_CHANNEL, Capability.TLS));
    }

    @Override
    public void close() {
        SharedResources shared;
        Server srv;
        Map<NodeId, Peer> toClose;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            shared = resources;
            srv = server;
            toClose = peers;
            if (watchdog != null) {
                watchdog.cancel(false);
            }
        }
        long deadline = System.nanoTime() + options.shutdownTimeout().toNanos();
        try {
            if (srv != null) {
                srv.shutdownNow(); // first, so inbound streams end before the peer set is cleared
            }
            peers = Map.of();
            List<CompletableFuture<ManagedChannel>> channels = new ArrayList<>();
            for (Peer p : toClose.values()) {
                channels.addAll(p.close());
            }
            for (CompletableFuture<ManagedChannel> f : channels) {
                ManagedChannel ch = f.get(remaining(deadline), TimeUnit.NANOSECONDS);
                if (ch != null) {
                    ch.awaitTermination(remaining(deadline), TimeUnit.NANOSECONDS);
                }
            }
            if (srv != null && !srv.awaitTermination(remaining(deadline), TimeUnit.NANOSECONDS)) {
                LOG.warn("{}: gRPC server did not terminate within {}", context.self(), options.shutdownTimeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("{}: incomplete gRPC transport shutdown: {}", context.self(), e.toString());
        } finally {
            if (shared != null) {
                shared.release(options.shutdownTimeout().toMillis());
            }
            LOG.info("{}: gRPC transport closed ({})", context.self(), stats);
        }
    }

    private static long remaining(long deadline) {
        return Math.max(1, deadline - System.nanoTime());
    }

    private void checkStreams() {
        for (Peer p : peers.values()) {
            if (p.replicate != null) {
                p.replicate.checkStall();
                p.snapshot.checkStall();
            }
        }
    }

    /** An inbound stream from {@code id} was accepted: if our own streams to it are down, retry them now. */
    private void peerReachedUs(NodeId id) {
        Peer p = peers.get(id);
        if (p != null && p.replicate != null) {
            p.replicate.peerReachedUs();
            p.snapshot.peerReachedUs();
        }
    }

    /** Returns this transport's counters. */
    TransportStats stats() {
        return stats;
    }

    /** Returns the queued messages and bytes of the replication stream to a peer, or null; for tests. */
    long[] queued(NodeId peer) {
        Peer p = peers.get(peer);
        return p == null || p.replicate == null ? null : p.replicate.queued();
    }

    private ManagedChannel newChannel(URI address) {
        SharedResources shared;
        SslContext tls;
        synchronized (lock) {
            shared = resources;
            tls = clientTls;
        }
        NettyChannelBuilder b = NettyChannelBuilder
                .forAddress(new InetSocketAddress(address.getHost(), address.getPort()))
                .eventLoopGroup(shared.eventLoopGroup)
                .channelType(NioSocketChannel.class)
                .executor(shared.callbackExecutor)
                .maxInboundMessageSize(64 * 1024)
                .maxInboundMetadataSize(8192)
                .keepAliveTime(options.keepAliveTime().toNanos(), TimeUnit.NANOSECONDS)
                .keepAliveTimeout(options.keepAliveTimeout().toNanos(), TimeUnit.NANOSECONDS)
                .keepAliveWithoutCalls(true)
                .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        options.connectTimeout().toMillis()))
                .proxyDetector(target -> null)
                .disableRetry();
        if (tls != null) {
            b.sslContext(tls);
        } else {
            b.usePlaintext();
        }
        return b.build();
    }

    /** A peer's two outbound streams; created unstarted, streams made once the transport has started. */
    private final class Peer {
        final NodeId id;
        final URI address;
        volatile PeerStream replicate;
        volatile PeerStream snapshot;

        Peer(NodeId id, URI address) {
            this.id = id;
            this.address = address;
        }

        /** Called under the transport lock, once resources exist. */
        void ensureStreams() {
            if (replicate != null) {
                return;
            }
            long min = options.reconnectBackoffMin().toNanos();
            long max = options.reconnectBackoffMax().toNanos();
            long stall = options.stallTimeout().toNanos();
            int chunks = options.maxQueuedSnapshotChunks();
            snapshot = new PeerStream(context.self() + "->" + id + " snapshot", Frames.SNAPSHOT,
                    () -> newChannel(address), outboundHeaders, resources, stats, chunks,
                    Math.min(options.maxQueuedBytes(), (long) chunks * options.maxMessageBytes()), min, max, stall,
                    SNAPSHOT_IDLE_CLOSE_NANOS);
            replicate = new PeerStream(context.self() + "->" + id + " replicate", Frames.REPLICATE,
                    () -> newChannel(address), outboundHeaders, resources, stats, options.maxQueuedMessages(),
                    options.maxQueuedBytes(), min, max, stall, 0);
        }

        List<CompletableFuture<ManagedChannel>> close() {
            List<CompletableFuture<ManagedChannel>> out = new ArrayList<>(2);
            if (replicate != null) {
                out.add(replicate.close());
                out.add(snapshot.close());
            }
            return out;
        }
    }
}
