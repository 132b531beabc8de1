package io.flotilla.transport.http.internal;

import io.flotilla.ClusterId;
import io.flotilla.NodeId;
import io.flotilla.message.InstallSnapshotRequest;
import io.flotilla.message.RaftMessage;
import io.flotilla.wire.internal.WireCodec;
import io.flotilla.wire.internal.WireFormatException;
import io.flotilla.wire.internal.WireMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side: accepts batch requests and snapshot uploads from peers, checks them and hands each decoded
 * message to the node.
 *
 * <h2>Checks, in order, each answered with a 4xx status and a plain-text reason</h2>
 * <ol>
 *   <li>the path is {@value Frames#MESSAGES_PATH} or {@value Frames#SNAPSHOT_PATH} (404) and the method POST (405);</li>
 *   <li>the content type is {@value Frames#CONTENT_TYPE} (415);</li>
 *   <li>the {@code Flotilla-Cluster-Id} header names this cluster, {@code Flotilla-Node-Id} a current peer and
 *       {@code Flotilla-To} this node (403; 400 if an id is malformed); batches carry a valid
 *       {@code Flotilla-Sequence} (400);</li>
 *   <li>a declared {@code Content-Length} is within {@code maxRequestBytes} (413), before any byte is read;</li>
 *   <li>while the body is read: the framing ({@link Frames.Decoder}: 400, or 413 past a limit), every envelope
 *       ({@link WireCodec}: 400), and every envelope's cluster, addressee and sender against the headers (403), and
 *       its kind against the path (400).</li>
 * </ol>
 * A batch is delivered only when its whole body passed (all or nothing, through {@link InboundSequencer}); a
 * snapshot upload delivers each chunk as soon as its frame is complete, so an upload never sits in memory. Every
 * refusal is logged (rate-limited) with the remote address and counted; the node and other requests are
 * unaffected. After the transport is closed every request gets 503 and nothing is delivered.
 *
 * <h2>Threading and blocking</h2>
 * Non-blocking: the body is read with Jetty's demand/read callbacks on the server's pool, never by blocking a
 * thread, so the thread count does not grow with connections or slow senders.
 */
final class InboundHandler extends Handler.Abstract.NonBlocking {
    private static final Logger LOG = LoggerFactory.getLogger(InboundHandler.class);
    private static final long LOG_INTERVAL_NANOS = 1_000_000_000L;

    private final ClusterId clusterId;
    private final NodeId self;
    private final WireCodec codec;
    private final long maxRequestBytes;
    private final Predicate<NodeId> isPeer;
    private final Consumer<RaftMessage> deliver;
    private final InboundSequencer sequencer;
    private final TransportStats stats;
    private final BooleanSupplier transportClosed;
    private final Object logLock = new Object();
    private long lastLogNanos; // guarded by logLock
    private long suppressed; // guarded by logLock

    InboundHandler(ClusterId clusterId, NodeId self, WireCodec codec, long maxRequestBytes, Predicate<NodeId> isPeer,
            Consumer<RaftMessage> deliver, InboundSequencer sequencer, TransportStats stats,
            BooleanSupplier transportClosed) {
        this.clusterId = clusterId;
        this.self = self;
        this.codec = codec;
        this.maxRequestBytes = maxRequestBytes;
        this.isPeer = isPeer;
        this.deliver = deliver;
        this.sequencer = sequencer;
        this.stats = stats;
        this.transportClosed = transportClosed;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        try {
            String path = request.getHttpURI().getPath();
            boolean snapshot = Frames.SNAPSHOT_PATH.equals(path);
            if (!snapshot && !Frames.MESSAGES_PATH.equals(path)) {
                return refuse(request, response, callback, HttpStatus.NOT_FOUND_404, stats.rejectedProtocol,
                        "no such endpoint: " + path);
            }
            if (transportClosed.getAsBoolean()) {
                return reply(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "transport closed");
            }
            if (!"POST".equals(request.getMethod())) {
                response.getHeaders().put(HttpHeader.ALLOW, "POST");
                return refuse(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, stats.rejectedProtocol,
                        request.getMethod() + " " + path + ": only POST is allowed");
            }
            String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
            if (type == null || !Frames.CONTENT_TYPE.equalsIgnoreCase(mediaType(type))) {
                return refuse(request, response, callback, HttpStatus.UNSUPPORTED_MEDIA_TYPE_415,
                        stats.rejectedProtocol, "content type must be " + Frames.CONTENT_TYPE + ", got " + type);
            }
            String cluster = request.getHeaders().get(Frames.CLUSTER_HEADER);
            if (!clusterId.value().equals(cluster)) {
                return refuse(request, response, callback, HttpStatus.FORBIDDEN_403, stats.rejectedIdentity,
                        "request belongs to cluster " + cluster + ", not " + clusterId);
            }
            NodeId peer;
            NodeId to;
            try {
                peer = NodeId.of(nonNull(request.getHeaders().get(Frames.NODE_HEADER)));
                to = NodeId.of(nonNull(request.getHeaders().get(Frames.TO_HEADER)));
            } catch (IllegalArgumentException e) {
                return refuse(request, response, callback, HttpStatus.BAD_REQUEST_400, stats.rejectedIdentity,
                        "missing or invalid " + Frames.NODE_HEADER + "/" + Frames.TO_HEADER + " header: "
                                + e.getMessage());
            }
            if (!isPeer.test(peer)) {
                return refuse(request, response, callback, HttpStatus.FORBIDDEN_403, stats.rejectedIdentity,
                        "node " + peer + " is not a peer of " + self);
            }
            if (!self.equals(to)) {
                return refuse(request, response, callback, HttpStatus.FORBIDDEN_403, stats.rejectedIdentity,
                        "request from " + peer + " is addressed to " + to + ", not " + self);
            }
            long length = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
            if (!snapshot && length > maxRequestBytes) {
                return refuse(request, response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, stats.rejectedMalformed,
                        "body of " + length + " bytes from " + peer + " exceeds the limit of " + maxRequestBytes);
            }
            long[] sequence = null;
            if (!snapshot) {
                sequence = sequence(request.getHeaders().get(Frames.SEQUENCE_HEADER));
                if (sequence == null) {
                    return refuse(request, response, callback, HttpStatus.BAD_REQUEST_400, stats.rejectedMalformed,
                            "missing or malformed " + Frames.SEQUENCE_HEADER + " header from " + peer);
                }
                sequencer.open(peer, sequence[0], sequence[1]);
            }
            new BodyReader(request, response, callback, peer, snapshot, sequence).run();
            return true;
        } catch (RuntimeException e) {
            // Defensive: nothing above should throw; never let it escape into Jetty as a 500 without a reason.
            LOG.error("{}: unexpected failure handling a request", self, e);
            return reply(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500, "internal error");
        }
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    private static String mediaType(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
    }

    /** Parses {@code <epoch>.<sequence>} (both unsigned decimal); null if malformed. */
    static long[] sequence(String header) {
        if (header == null) {
            return null;
        }
        int dot = header.indexOf('.');
        if (dot <= 0 || dot == header.length() - 1 || header.length() > 41) {
            return null;
        }
        try {
            long epoch = Long.parseUnsignedLong(header.substring(0, dot));
            long seq = Long.parseLong(header.substring(dot + 1));
            return seq < 0 ? null : new long[] {epoch, seq};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private boolean refuse(Request request, Response response, Callback callback, int status,
            java.util.concurrent.atomic.AtomicLong counter, String why) {
        counter.incrementAndGet();
        logRefusal(Request.getRemoteAddr(request) + ":" + Request.getRemotePort(request), status, why);
        return reply(response, callback, status, why);
    }

    private void logRefusal(String remote, int status, String why) {
        long now = System.nanoTime();
        long skipped;
        synchronized (logLock) {
            if (lastLogNanos != 0 && now - lastLogNanos < LOG_INTERVAL_NANOS) {
                suppressed++;
                return;
            }
            lastLogNanos = now;
            skipped = suppressed;
            suppressed = 0;
        }
        LOG.warn("{}: refused a request from {} with {}: {}{}", self, remote, status, why,
                skipped == 0 ? "" : " (" + skipped + " similar refusals not logged)");
    }

    private static boolean reply(Response response, Callback callback, int status, String text) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.write(true, ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }

    /** Reads one request body without blocking, decoding frames as they complete. */
    private final class BodyReader implements Runnable, Invocable {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final NodeId peer;
        private final boolean snapshot;
        private final long[] sequence; // null for snapshot uploads
        private final Frames.Decoder decoder;
        private final List<RaftMessage> batch = new ArrayList<>();
        private final String remote;

        BodyReader(Request request, Response response, Callback callback, NodeId peer, boolean snapshot,
                long[] sequence) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.peer = peer;
            this.snapshot = snapshot;
            this.sequence = sequence;
            this.decoder = new Frames.Decoder(codec.limits().maxMessageBytes(),
                    snapshot ? Long.MAX_VALUE : maxRequestBytes);
            this.remote = Request.getRemoteAddr(request) + ":" + Request.getRemotePort(request);
        }

        @Override
        public InvocationType getInvocationType() {
            // Decoding and handing to the node never block (the MessageHandler contract): Jetty may run this
            // on the thread that read the bytes instead of dispatching it to another.
            return InvocationType.NON_BLOCKING;
        }

        @Override
        public void run() {
            try {
                while (true) {
                    Content.Chunk chunk = request.read();
                    if (chunk == null) {
                        request.demand(this);
                        return;
                    }
                    if (Content.Chunk.isFailure(chunk)) {
                        abandon();
                        Throwable failure = chunk.getFailure();
                        callback.failed(failure == null ? new java.io.IOException("request failed") : failure);
                        return;
                    }
                    boolean last = chunk.isLast();
                    List<byte[]> frames;
                    try {
                        frames = decoder.feed(chunk.getByteBuffer());
                    } finally {
                        chunk.release();
                    }
                    for (byte[] frame : frames) {
                        if (!accept(frame)) {
                            return;
                        }
                    }
                    if (last) {
                        decoder.finish();
                        finish();
                        return;
                    }
                }
            } catch (Frames.FrameException e) {
                fail(e.tooLarge ? HttpStatus.PAYLOAD_TOO_LARGE_413 : HttpStatus.BAD_REQUEST_400,
                        stats.rejectedMalformed, "malformed body from " + peer + ": " + e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("{}: unexpected failure reading a request from {}", self, peer, e);
                fail(HttpStatus.INTERNAL_SERVER_ERROR_500, stats.rejectedMalformed, "internal error");
            }
        }

        /** Decodes and checks one frame; returns false (having replied) if it was refused. */
        private boolean accept(byte[] frame) {
            WireMessage decoded;
            try {
                decoded = codec.decode(frame);
            } catch (WireFormatException e) {
                fail(HttpStatus.BAD_REQUEST_400, stats.rejectedMalformed, "malformed message " + decoder.frames()
                        + " from " + peer + ": " + e.getMessage());
                return false;
            }
            RaftMessage m = decoded.message();
            String identity = null;
            if (!clusterId.equals(decoded.clusterId())) {
                identity = "message from " + peer + " belongs to cluster " + decoded.clusterId() + ", not " + clusterId;
            } else if (!self.equals(m.to())) {
                identity = "message from " + peer + " is addressed to " + m.to() + ", not " + self;
            } else if (!peer.equals(m.from())) {
                identity = "message in " + peer + "'s request claims to come from " + m.from();
            }
            if (identity != null) {
                fail(HttpStatus.FORBIDDEN_403, stats.rejectedIdentity, identity);
                return false;
            }
            if (snapshot != (m instanceof InstallSnapshotRequest)) {
                fail(HttpStatus.BAD_REQUEST_400, stats.rejectedMalformed, m.getClass().getSimpleName() + " from "
                        + peer + " sent to " + (snapshot ? Frames.SNAPSHOT_PATH : Frames.MESSAGES_PATH));
                return false;
            }
            if (snapshot) {
                deliver.accept(m); // chunk by chunk: an upload is never held in memory
            } else {
                batch.add(m);
            }
            return true;
        }

        private void finish() {
            if (!snapshot) {
                sequencer.complete(peer, sequence[0], sequence[1], List.copyOf(batch));
            }
            response.setStatus(HttpStatus.NO_CONTENT_204);
            // Complete through a last write rather than callback.succeeded(): on HTTP/1.1, succeeding the handler
            // callback while the body was read inside handle() sometimes made Jetty 12.1.14 complete the stream
            // twice (an NPE in HttpChannelState.completeStream and a response never sent; cf. jetty#13470), seen
            // under load in TransportProbe over HTTP/1.1. A last write completes the callback once, from Jetty.
            response.write(true, BufferUtil.EMPTY_BUFFER, callback);
        }

        private void abandon() {
            if (!snapshot) {
                sequencer.complete(peer, sequence[0], sequence[1], List.of());
            }
        }

        private void fail(int status, java.util.concurrent.atomic.AtomicLong counter, String why) {
            abandon();
            counter.incrementAndGet();
            logRefusal(remote, status, why);
            reply(response, callback, status, why);
        }
    }
}
