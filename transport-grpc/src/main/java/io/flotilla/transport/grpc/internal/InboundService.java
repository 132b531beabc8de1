package io.flotilla.transport.grpc.internal;

import io.flotilla.ClusterId;
import io.flotilla.NodeId;
import io.flotilla.message.InstallSnapshotRequest;
import io.flotilla.message.RaftMessage;
import io.flotilla.spi.MessageHandler;
import io.flotilla.wire.internal.WireCodec;
import io.flotilla.wire.internal.WireFormatException;
import io.flotilla.wire.internal.WireMessage;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side: accepts the {@code Replicate} and {@code Snapshot} streams of peers, checks identity and
 * decodes every message before it reaches the node.
 *
 * <h2>Checks</h2>
 * At stream start, the {@code flotilla-cluster-id} and {@code flotilla-node-id} headers must name this cluster
 * and a current peer, or the stream is refused ({@code PERMISSION_DENIED}) before any message is read. Every
 * message is then decoded by the hardened {@link WireCodec}; its envelope must carry this cluster id, be
 * addressed to this node, come from the node the stream was opened by, and (on the snapshot stream) be a
 * snapshot chunk. Any violation is logged once with the remote address and closes that stream with
 * {@code INVALID_ARGUMENT} or {@code PERMISSION_DENIED}; the node and its other streams are unaffected, and the
 * peer's transport reconnects with backoff. An accepted stream is reported to {@code peerReachedUs}, so that
 * this node's own streams to that peer, if down, retry at once instead of waiting out their backoff.
 *
 * <p>A message larger than {@code maxMessageBytes} never reaches this code: gRPC's deframer rejects it and resets
 * the stream with {@code RESOURCE_EXHAUSTED}. {@link #oversizeTracer()} makes that visible: it logs the rejection
 * at WARN, with the peer's node header and remote address, and counts it in
 * {@link TransportStats#rejectedOversized}.
 *
 * <h2>Flow control and threading</h2>
 * Each stream requests one message at a time, after the previous one was handed to the node; the node's
 * {@link MessageHandler} never blocks, so this bounds per-stream buffering to HTTP/2's window. Callbacks of one
 * stream are serialized by gRPC and run directly on the connection's Netty I/O thread (the server's direct
 * executor), so they must never block. The tracer's callbacks run on that thread too, and only log and count.
 */
final class InboundService {
    private static final Logger LOG = LoggerFactory.getLogger(InboundService.class);

    private final ClusterId clusterId;
    private final NodeId self;
    private final WireCodec codec;
    private final MessageHandler handler;
    private final Predicate<NodeId> isPeer;
    private final TransportStats stats;
    private final BooleanSupplier transportClosed;
    private final Consumer<NodeId> peerReachedUs;

    InboundService(ClusterId clusterId, NodeId self, WireCodec codec, MessageHandler handler,
            Predicate<NodeId> isPeer, TransportStats stats, BooleanSupplier transportClosed,
            Consumer<NodeId> peerReachedUs) {
        this.transportClosed = transportClosed;
        this.peerReachedUs = peerReachedUs;
        this.clusterId = clusterId;
        this.self = self;
        this.codec = codec;
        this.handler = handler;
        this.isPeer = isPeer;
        this.stats = stats;
    }

    ServerServiceDefinition definition() {
        return ServerServiceDefinition.builder(Frames.SERVICE)
                .addMethod(Frames.REPLICATE, new Handler(false))
                .addMethod(Frames.SNAPSHOT, new Handler(true))
                .build();
    }

    /**
     * Returns the stream tracer factory to install on the server; it reports streams that gRPC closed with
     * {@code RESOURCE_EXHAUSTED} (a message over {@code maxInboundMessageSize}) before any of this code saw them.
     */
    ServerStreamTracer.Factory oversizeTracer() {
        return new ServerStreamTracer.Factory() {
            @Override
            public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
                return new OversizeTracer(fullMethodName, headers.get(Frames.NODE_ID));
            }
        };
    }

    /** One per inbound stream; remembers who opened it, in case gRPC rejects one of its messages. */
    private final class OversizeTracer extends ServerStreamTracer {
        private final String method;
        private final String node; // the unverified node header
        private volatile Object remote;

        OversizeTracer(String method, String node) {
            this.method = method;
            this.node = node;
        }

        @Override
        public void serverCallStarted(ServerCallInfo<?, ?> callInfo) {
            remote = callInfo.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        }

        @Override
        public void streamClosed(Status status) {
            if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED) {
                stats.rejectedOversized.incrementAndGet();
                LOG.warn("{}: gRPC rejected a message on {} from {} (node header {}): {}", self, method,
                        remote == null ? "an unknown address" : remote, node, status.getDescription());
            }
        }
    }

    private final class Handler implements ServerCallHandler<byte[], byte[]> {
        private final boolean snapshots;

        Handler(boolean snapshots) {
            this.snapshots = snapshots;
        }

        @Override
        public ServerCall.Listener<byte[]> startCall(ServerCall<byte[], byte[]> call, Metadata headers) {
            Object remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
            String cluster = headers.get(Frames.CLUSTER_ID);
            String node = headers.get(Frames.NODE_ID);
            if (!clusterId.value().equals(cluster)) {
                return refuse(call, Status.PERMISSION_DENIED, "stream from " + remote + " (node " + node
                        + ") belongs to cluster " + cluster + ", not " + clusterId);
            }
            NodeId peer;
            try {
                peer = NodeId.of(node == null ? "" : node);
            } catch (IllegalArgumentException e) {
                return refuse(call, Status.INVALID_ARGUMENT, "stream from " + remote + " has an invalid node id header: "
                        + e.getMessage());
            }
            if (!isPeer.test(peer)) {
                return refuse(call, Status.PERMISSION_DENIED, "stream from " + remote + " claims node " + peer
                        + ", which is not a peer of " + self);
            }
            call.sendHeaders(new Metadata());
            call.request(1);
            peerReachedUs.accept(peer); // non-blocking: only schedules work on our streams to that peer
            return new Inbound(call, peer, String.valueOf(remote));
        }

        private ServerCall.Listener<byte[]> refuse(ServerCall<byte[], byte[]> call, Status status, String why) {
            stats.rejectedIdentity.incrementAndGet();
            LOG.warn("{}: refused {} stream: {}", self, snapshots ? "snapshot" : "replication", why);
            call.close(status.withDescription(why), new Metadata());
            return new ServerCall.Listener<>() {};
        }

        private final class Inbound extends ServerCall.Listener<byte[]> {
            private final ServerCall<byte[], byte[]> call;
            private final NodeId peer;
            private final String remote;
            private boolean closed;

            Inbound(ServerCall<byte[], byte[]> call, NodeId peer, String remote) {
                this.call = call;
                this.peer = peer;
                this.remote = remote;
            }

            @Override
            public void onMessage(byte[] bytes) {
                if (closed || transportClosed.getAsBoolean()) {
                    return; // the transport is closed: deliver nothing more (Transport contract)
                }
                WireMessage decoded;
                try {
                    decoded = codec.decode(bytes);
                } catch (WireFormatException e) {
                    stats.rejectedMalformed.incrementAndGet();
                    reject(Status.INVALID_ARGUMENT, "malformed message from " + peer + " at " + remote + ": "
                            + e.getMessage());
                    return;
                }
                RaftMessage m = decoded.message();
                String problem = problem(decoded);
                if (problem != null) {
                    stats.rejectedIdentity.incrementAndGet();
                    reject(Status.PERMISSION_DENIED, problem);
                    return;
                }
                if (transportClosed.getAsBoolean()) {
                    return; // closed while this message was being decoded
                }
                if (!isPeer.test(m.from())) {
                    // Removed by a membership change while the stream was open.
                    stats.rejectedIdentity.incrementAndGet();
                    reject(Status.PERMISSION_DENIED, m.from() + " is no longer a peer of " + self);
                    return;
                }
                try {
                    handler.handle(m);
                    stats.received.incrementAndGet();
                } catch (RuntimeException e) {
                    LOG.error("{}: message handler threw (it must not); message from {} dropped", self, peer, e);
                }
                call.request(1);
            }

            private String problem(WireMessage decoded) {
                RaftMessage m = decoded.message();
                if (!clusterId.equals(decoded.clusterId())) {
                    return "message from " + remote + " belongs to cluster " + decoded.clusterId() + ", not "
                            + clusterId;
                }
                if (!self.equals(m.to())) {
                    return "message from " + peer + " is addressed to " + m.to() + ", not " + self;
                }
                if (!peer.equals(m.from())) {
                    return "message on " + peer + "'s stream claims to come from " + m.from();
                }
                if (snapshots != (m instanceof InstallSnapshotRequest)) {
                    return m.getClass().getSimpleName() + " from " + peer + " on the "
                            + (snapshots ? "snapshot" : "replication") + " stream";
                }
                return null;
            }

            private void reject(Status status, String why) {
                closed = true;
                LOG.warn("{}: closing {} stream: {}", self, snapshots ? "snapshot" : "replication", why);
                call.close(status.withDescription(why), new Metadata());
            }

            @Override
            public void onHalfClose() {
                if (!closed) {
                    closed = true;
                    call.sendMessage(Frames.EMPTY);
                    call.close(Status.OK, new Metadata());
                }
            }

            @Override
            public void onCancel() {
                closed = true;
            }
        }
    }

}
