package io.flotilla.transport.http.internal;

import io.flotilla.NodeId;
import io.flotilla.message.InstallSnapshotRequest;
import io.flotilla.message.RaftMessage;
import io.flotilla.spi.Capability;
import io.flotilla.spi.MessageHandler;
import io.flotilla.spi.Transport;
import io.flotilla.spi.TransportContext;
import io.flotilla.transport.http.HttpTransportOptions;
import io.flotilla.transport.http.HttpTransportOptions.Security;
import io.flotilla.wire.internal.WireCodec;
import io.flotilla.wire.internal.WireFormatException;
import io.flotilla.wire.internal.WireLimits;
import java.io.IOException;
import java.net.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Transport} over HTTP: an OkHttp client sends, an embedded Jetty 12 server receives.
 *
 * <h2>Requests</h2>
 * For every peer this node keeps two lanes: {@link PeerLane} sends every message except snapshot chunks as
 * pipelined batch POSTs to {@value Frames#MESSAGES_PATH} (at most {@code maxInFlightRequests} outstanding, each
 * carrying everything queued), and {@link SnapshotLane} streams {@link InstallSnapshotRequest} chunks as one
 * chunked upload to {@value Frames#SNAPSHOT_PATH} on a connection of its own. Bodies are {@link Frames framed}
 * raft-wire envelopes ({@code application/x-protobuf}); replies travel as the replying node's own requests, and
 * the HTTP response only says whether the request was accepted (204) or refused (4xx with a reason). See
 * {@link InboundHandler} for what the server checks.
 *
 * <h2>HTTP versions</h2>
 * With {@code http2} (the default) the client speaks h2c with prior knowledge on {@code http://} and offers h2
 * through ALPN on {@code https://}: each lane is then one multiplexed connection per peer. Otherwise HTTP/1.1
 * with keep-alive, one pooled connection per in-flight request. The server accepts all of these.
 *
 * <h2>Threading and blocking</h2>
 * {@link #send} is thread-safe and never blocks or throws: it encodes the message on the caller's thread (so the
 * byte bound is exact) and appends it to the peer's bounded queue. Requests run on a bounded client pool
 * ({@code clientThreads}; OkHttp runs each in-flight request on a thread, plus one reader thread per HTTP/2
 * connection from its own runner); the server runs on a bounded, non-blocking Jetty pool ({@code serverThreads}).
 * The {@link MessageHandler} is called from server threads, in each sender's order.
 *
 * <h2>Lifecycle</h2>
 * {@link #start} binds (failing with {@link IOException}); {@link #close} cancels every request, stops the server
 * and the client pool, and waits up to {@code shutdownTimeout}.
 */
public final class HttpTransport implements Transport {
    private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);
    private static final long SEQUENCE_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final URI listenAddress;
    private final TransportContext context;
    private final HttpTransportOptions options;
    private final WireCodec codec;
    private final TransportStats stats = new TransportStats();
    private final String name;

    private final Object lock = new Object();
    // Replaced whole under lock; read without it by send() and the server.
    private volatile Map<NodeId, Peer> peers = Map.of();
    private volatile boolean closed;
    private volatile MessageHandler handler;
    private EmbeddedServer.Started server; // guarded by lock
    private ThreadPoolExecutor clientPool; // guarded by lock
    private OkHttpClient client; // guarded by lock; the batch lanes' client
    private OkHttpClient snapshotClient; // guarded by lock; same threads, a connection pool of its own
    private URI boundAddress; // guarded by lock
    private InboundSequencer sequencer; // guarded by lock

    private HttpTransport(URI listenAddress, TransportContext context, HttpTransportOptions options) {
        this.listenAddress = listenAddress;
        this.context = context;
        this.options = options;
        this.codec = new WireCodec(new WireLimits(options.maxMessageBytes(), options.maxEntriesPerMessage()));
        this.name = "flotilla-http-" + context.self().value().replaceAll("[^A-Za-z0-9_.-]", "_") + "-"
                + INSTANCES.incrementAndGet();
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
    public static HttpTransport create(URI listenAddress, TransportContext context, HttpTransportOptions options) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(options, "options");
        String problem = addressProblem(listenAddress, options);
        if (problem != null) {
            throw new IllegalArgumentException("invalid listen address: " + problem);
        }
        return new HttpTransport(listenAddress, context, options);
    }

    /** Returns why {@code address} cannot be used under {@code options}, or null if it can. */
    static String addressProblem(URI address, HttpTransportOptions options) {
        if (address == null) {
            return "address is null";
        }
        if (!options.scheme().equals(address.getScheme())) {
            return address + " must use the " + options.scheme() + ":// scheme under " + options.security()
                    + " security (" + HttpTransportOptions.PLAINTEXT_SCHEME + ":// is plaintext, "
                    + HttpTransportOptions.TLS_SCHEME + ":// is TLS)";
        }
        if (address.getHost() == null || address.getPort() < 0) {
            return address + " must have the form " + options.scheme() + "://host:port";
        }
        if (address.getRawPath() != null && !address.getRawPath().isEmpty() && !"/".equals(address.getRawPath())) {
            return address + " must not have a path (the transport's endpoints are fixed)";
        }
        return null;
    }

    @Override
    public void start(MessageHandler messageHandler) throws IOException {
        Objects.requireNonNull(messageHandler, "handler");
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("transport is closed");
            }
            if (server != null) {
                throw new IllegalStateException("transport already started");
            }
            handler = messageHandler;
            ScheduledExecutorScheduler scheduler = EmbeddedServer.scheduler(name);
            try {
                TlsMaterial tls = options.security() == Security.PLAINTEXT ? null : TlsMaterial.load(options);
                sequencer = new InboundSequencer((task, nanos) -> {
                    org.eclipse.jetty.util.thread.Scheduler.Task t = scheduler.schedule(task, nanos, TimeUnit.NANOSECONDS);
                    return t::cancel;
                }, SEQUENCE_GAP_NANOS, this::deliverAll);
                InboundHandler inbound = new InboundHandler(context.clusterId(), context.self(), codec,
                        options.maxRequestBytes(), id -> peers.containsKey(id), this::deliver, sequencer, stats,
                        () -> closed);
                server = EmbeddedServer.start(listenAddress, name, options, tls, inbound, scheduler);
                buildClients(tls);
            } catch (IOException | RuntimeException e) {
                if (server != null) {
                    try {
                        server.server.stop(); // started, but the client could not be built
                    } catch (Exception suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                stopQuietly(scheduler);
                server = null;
                throw e instanceof IOException ? (IOException) e
                        : new IOException("cannot start the HTTP transport on " + listenAddress + ": " + e, e);
            }
            try {
                boundAddress = new URI(listenAddress.getScheme(), null, listenAddress.getHost(),
                        server.connector.getLocalPort(), null, null, null);
            } catch (URISyntaxException e) {
                throw new AssertionError(e);
            }
            for (Peer p : peers.values()) {
                p.ensureLanes();
            }
            LOG.info("{}: HTTP transport listening on {} ({}, {})", context.self(), boundAddress, options.security(),
                    options.http2() ? "HTTP/2" : "HTTP/1.1");
        }
    }

    private void buildClients(TlsMaterial tls) {
        AtomicInteger n = new AtomicInteger();
        clientPool = new ThreadPoolExecutor(0, options.clientThreads(), 5, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> {
                    Thread t = new Thread(r, name + "-client-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        Dispatcher dispatcher = new Dispatcher(clientPool);
        dispatcher.setMaxRequests(options.clientThreads()); // never more calls than threads: no rejection
        // The lanes bound the calls per peer; a per-host bound would also couple peers that share a host.
        dispatcher.setMaxRequestsPerHost(options.clientThreads());
        List<Protocol> protocols;
        if (!options.http2()) {
            protocols = List.of(Protocol.HTTP_1_1);
        } else if (tls == null) {
            protocols = List.of(Protocol.H2_PRIOR_KNOWLEDGE);
        } else {
            protocols = List.of(Protocol.HTTP_2, Protocol.HTTP_1_1);
        }
        OkHttpClient.Builder b = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(Math.max(5, options.maxInFlightRequests()), 5, TimeUnit.MINUTES))
                .protocols(protocols)
                .proxy(Proxy.NO_PROXY)
                .socketFactory(new NoDelaySocketFactory())
                .followRedirects(false)
                .followSslRedirects(false)
                .retryOnConnectionFailure(true) // a stale pooled connection (peer restarted) is retried once
                .connectTimeout(options.connectTimeout())
                .callTimeout(options.requestTimeout())
                .readTimeout(options.requestTimeout())
                .writeTimeout(options.requestTimeout())
                .pingInterval(options.pingInterval());
        if (tls != null) {
            b.sslSocketFactory(tls.context.getSocketFactory(), tls.trustManager);
        }
        client = b.build();
        snapshotClient = client.newBuilder()
                .connectionPool(new ConnectionPool(1, 1, TimeUnit.MINUTES))
                .callTimeout(java.time.Duration.ZERO) // an upload lasts as long as chunks keep coming
                .build();
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
            if (peer == null || peer.lane == null) {
                stats.droppedUnknownPeer.incrementAndGet();
                LOG.debug("{}: dropped {} to unknown or unstarted peer {}", context.self(),
                        message.getClass().getSimpleName(), message.to());
                return;
            }
            byte[] frame;
            try {
                frame = Frames.frame(codec.encode(context.clusterId(), message));
            } catch (WireFormatException e) {
                stats.droppedTooLarge.incrementAndGet();
                LOG.warn("{}: dropped a message that cannot be sent: {}", context.self(), e.getMessage());
                return;
            }
            if (message instanceof InstallSnapshotRequest) {
                peer.snapshots.offer(frame, ((InstallSnapshotRequest) message).done());
            } else {
                peer.lane.offer(frame);
            }
        } catch (RuntimeException | Error e) {
            // The contract: send never throws. Anything here is a bug; log it and drop the message.
            LOG.error("{}: unexpected failure sending a message; dropped", context.self(), e);
        }
    }

    /** Hands one inbound message to the node, unless the transport closed or the sender stopped being a peer. */
    private void deliver(RaftMessage m) {
        if (closed) {
            return;
        }
        if (!peers.containsKey(m.from())) {
            stats.rejectedIdentity.incrementAndGet();
            LOG.debug("{}: dropped a message from {}, no longer a peer", context.self(), m.from());
            return;
        }
        try {
            handler.handle(m);
            stats.received.incrementAndGet();
        } catch (RuntimeException e) {
            LOG.error("{}: message handler threw (it must not); message from {} dropped", context.self(), m.from(), e);
        }
    }

    private void deliverAll(List<RaftMessage> batch) {
        for (RaftMessage m : batch) {
            deliver(m);
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
                    if (server != null) {
                        p.ensureLanes();
                    }
                    next.put(id, p);
                }
            }
            for (Map.Entry<NodeId, Peer> e : peers.entrySet()) {
                if (!next.containsKey(e.getKey())) {
                    removed.add(e.getValue());
                    if (sequencer != null) {
                        sequencer.forget(e.getKey());
                    }
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
        EmbeddedServer.Started srv;
        ThreadPoolExecutor pool;
        OkHttpClient c;
        OkHttpClient sc;
        Map<NodeId, Peer> toClose;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            srv = server;
            pool = clientPool;
            c = client;
            sc = snapshotClient;
            toClose = peers;
            peers = Map.of();
        }
        try {
            for (Peer p : toClose.values()) {
                p.close();
            }
            if (c != null) {
                c.dispatcher().cancelAll();
                c.connectionPool().evictAll();
                sc.connectionPool().evictAll();
            }
            if (srv != null) {
                try {
                    srv.server.stop(); // closes the connector: the port is free when this returns
                } catch (Exception e) {
                    LOG.warn("{}: incomplete HTTP server shutdown: {}", context.self(), e.toString());
                }
                stopQuietly(srv.scheduler);
            }
            if (pool != null) {
                pool.shutdown();
                if (!pool.awaitTermination(options.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                    pool.shutdownNow();
                    LOG.warn("{}: HTTP client threads did not stop within {}", context.self(),
                            options.shutdownTimeout());
                }
                // Connections that finished their last call meanwhile went back to the pool.
                c.connectionPool().evictAll();
                sc.connectionPool().evictAll();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("{}: incomplete HTTP transport shutdown: {}", context.self(), e.toString());
        } finally {
            LOG.info("{}: HTTP transport closed ({})", context.self(), stats);
        }
    }

    private static void stopQuietly(ScheduledExecutorScheduler scheduler) {
        try {
            scheduler.stop();
        } catch (Exception e) {
            LOG.debug("scheduler stop failed: {}", e.toString());
        }
    }

    /** Returns this transport's counters. */
    TransportStats stats() {
        return stats;
    }

    /** Returns the queued messages and in-flight requests of the batch lane to a peer, or null; for tests. */
    long[] queued(NodeId peer) {
        Peer p = peers.get(peer);
        return p == null || p.lane == null ? null : p.lane.queued();
    }

    /** A peer's two lanes; created unstarted, lanes made once the transport has started. */
    private final class Peer {
        final NodeId id;
        final URI address;
        volatile PeerLane lane;
        volatile SnapshotLane snapshots;

        Peer(NodeId id, URI address) {
            this.id = id;
            this.address = address;
        }

        /** Called under the transport lock, once the clients exist. */
        void ensureLanes() {
            if (lane != null) {
                return;
            }
            okhttp3.Headers headers = new okhttp3.Headers.Builder()
                    .add(Frames.CLUSTER_HEADER, context.clusterId().value())
                    .add(Frames.NODE_HEADER, context.self().value())
                    .add(Frames.TO_HEADER, id.value())
                    .build();
            HttpUrl base = new HttpUrl.Builder().scheme(address.getScheme()).host(address.getHost())
                    .port(address.getPort()).build();
            long min = options.reconnectBackoffMin().toNanos();
            long max = options.reconnectBackoffMax().toNanos();
            snapshots = new SnapshotLane(context.self() + "->" + id + " snapshot", snapshotClient,
                    base.resolve(Frames.SNAPSHOT_PATH), headers, stats, options.snapshotIdleTimeout().toNanos(),
                    min, max);
            lane = new PeerLane(context.self() + "->" + id, client, base.resolve(Frames.MESSAGES_PATH), headers,
                    stats, options.maxQueuedMessages(), options.maxQueuedBytes(), options.maxInFlightRequests(),
                    options.maxRequestBytes(), min, max);
        }

        void close() {
            if (lane != null) {
                lane.close();
                snapshots.close();
            }
        }
    }
}
