package io.flotilla.transport.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.flotilla.ClusterId;
import io.flotilla.NodeId;
import io.flotilla.message.HeartbeatRequest;
import io.flotilla.message.RaftMessage;
import io.flotilla.spi.TransportContext;
import io.flotilla.transport.http.HttpTransportOptions;
import io.flotilla.wire.internal.WireCodec;
import io.flotilla.wire.internal.WireLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hand-made hostile requests against a running transport: every malformed, foreign or oversized request is refused
 * with the right 4xx status and a reason, nothing of it reaches the node, and the node keeps accepting valid
 * requests afterwards.
 */
class HttpHardeningTest {
    static final ClusterId CLUSTER = ClusterId.of("hardening");
    static final NodeId A = NodeId.of("a");
    static final NodeId B = NodeId.of("b");
    static final NodeId C = NodeId.of("c");
    static final MediaType PROTOBUF = MediaType.get(Frames.CONTENT_TYPE);
    static final int MAX_MESSAGE = 64 * 1024;

    final WireCodec codec = new WireCodec(WireLimits.DEFAULT);
    final ConcurrentLinkedQueue<RaftMessage> inbox = new ConcurrentLinkedQueue<>();
    HttpTransport b;
    OkHttpClient h2;
    String base;
    long sequence;

    @BeforeEach
    void startB() throws IOException {
        b = HttpTransport.create(URI.create("http://127.0.0.1:0"), new TransportContext(CLUSTER, B),
                HttpTransportOptions.newBuilder().plaintext().maxMessageBytes(MAX_MESSAGE).build());
        b.start(inbox::add);
        // a and c are peers of b; nothing listens at their addresses (b only receives here).
        b.updatePeers(Map.of(A, URI.create("http://127.0.0.1:1"), C, URI.create("http://127.0.0.1:2")));
        h2 = new OkHttpClient.Builder().protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE)).build();
        base = "http://127.0.0.1:" + b.localAddress().getPort();
    }

    @AfterEach
    void stop() {
        b.close();
        h2.dispatcher().executorService().shutdown();
        h2.connectionPool().evictAll();
    }

    byte[] body(RaftMessage... messages) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (RaftMessage m : messages) {
            out.writeBytes(Frames.frame(codec.encode(CLUSTER, m)));
        }
        return out.toByteArray();
    }

    Request.Builder request(String path, NodeId from, byte[] body) {
        return new Request.Builder().url(base + path)
                .header(Frames.CLUSTER_HEADER, CLUSTER.value())
                .header(Frames.NODE_HEADER, from.value())
                .header(Frames.TO_HEADER, B.value())
                .header(Frames.SEQUENCE_HEADER, "42." + sequence++)
                .post(RequestBody.create(body, PROTOBUF));
    }

    /** Sends and returns "status reason". */
    String send(Request request) throws IOException {
        return send(h2, request);
    }

    static String send(OkHttpClient client, Request request) throws IOException {
        try (Response r = client.newCall(request).execute()) {
            return (r.code() + " " + r.body().string()).trim();
        }
    }

    void assertRefused(int status, String reasonPart, Request request) throws IOException {
        String got = send(request);
        assertTrue(got.startsWith(status + " ") && got.contains(reasonPart),
                "expected " + status + " containing '" + reasonPart + "', got: " + got);
    }

    void assertStillServing() throws Exception {
        long context = 900 + sequence;
        assertEquals("204", send(request(Frames.MESSAGES_PATH, A, body(new HeartbeatRequest(A, B, 1, 0, context)))
                .build()));
        await("the probe", () -> inbox.stream().anyMatch(m -> m instanceof HeartbeatRequest
                && ((HeartbeatRequest) m).readContext() == context));
        inbox.removeIf(m -> m instanceof HeartbeatRequest && ((HeartbeatRequest) m).readContext() == context);
    }

    @Test
    void wrongPathMethodOrContentType_are404_405_415() throws Exception {
        byte[] ok = body(new HeartbeatRequest(A, B, 1, 0, 1));
        assertRefused(404, "no such endpoint", request("/flotilla/v2/messages", A, ok).build());
        assertRefused(405, "only POST", request(Frames.MESSAGES_PATH, A, ok).get().build());
        assertRefused(415, "content type must be application/x-protobuf", request(Frames.MESSAGES_PATH, A, ok)
                .post(RequestBody.create(ok, MediaType.get("application/json"))).build());
        assertTrue(inbox.isEmpty(), "a refused request reached the node: " + inbox);
        assertStillServing();
        assertEquals(3, b.stats().rejectedProtocol.get());
    }

    @Test
    void foreignClusterUnknownSenderOrOtherAddressee_are403_andBadIds400() throws Exception {
        byte[] ok = body(new HeartbeatRequest(A, B, 1, 0, 1));
        assertRefused(403, "belongs to cluster other", request(Frames.MESSAGES_PATH, A, ok)
                .header(Frames.CLUSTER_HEADER, "other").build());
        assertRefused(403, "not a peer of b", request(Frames.MESSAGES_PATH, NodeId.of("mallory"), ok).build());
        assertRefused(403, "addressed to c", request(Frames.MESSAGES_PATH, A, ok).header(Frames.TO_HEADER, "c").build());
        assertRefused(400, "invalid Flotilla-Node-Id", request(Frames.MESSAGES_PATH, A, ok)
                .header(Frames.NODE_HEADER, "bad id!").build());
        assertRefused(400, "Flotilla-Sequence", request(Frames.MESSAGES_PATH, A, ok)
                .header(Frames.SEQUENCE_HEADER, "x").build());
        assertTrue(inbox.isEmpty(), "a refused request reached the node: " + inbox);
        assertStillServing();
    }

    @Test
    void envelopesThatContradictTheHeaders_are403_andWrongKindForThePath400() throws Exception {
        WireCodec foreign = new WireCodec(WireLimits.DEFAULT);
        byte[] otherCluster = Frames.frame(foreign.encode(ClusterId.of("other"), new HeartbeatRequest(A, B, 1, 0, 1)));
        assertRefused(403, "belongs to cluster other", request(Frames.MESSAGES_PATH, A, otherCluster).build());
        assertRefused(403, "claims to come from c", request(Frames.MESSAGES_PATH, A,
                body(new HeartbeatRequest(C, B, 1, 0, 1))).build());
        assertRefused(403, "addressed to c", request(Frames.MESSAGES_PATH, A,
                body(new HeartbeatRequest(A, C, 1, 0, 1))).build());
        assertRefused(400, "InstallSnapshotRequest from a sent to /flotilla/v1/messages", request(Frames.MESSAGES_PATH,
                A, body(TestMessages.chunk(A, B, 1, 0, new byte[10], true))).build());
        assertRefused(400, "HeartbeatRequest from a sent to /flotilla/v1/snapshot", request(Frames.SNAPSHOT_PATH, A,
                body(new HeartbeatRequest(A, B, 1, 0, 1))).build());
        // A batch whose second message is bad is refused whole: the first is not delivered either.
        assertRefused(403, "claims to come from c", request(Frames.MESSAGES_PATH, A,
                body(new HeartbeatRequest(A, B, 1, 0, 5), new HeartbeatRequest(C, B, 1, 0, 6))).build());
        assertTrue(inbox.isEmpty(), "a refused request reached the node: " + inbox);
        assertStillServing();
    }

    @Test
    void malformedOrOversizedBodies_are400_or413() throws Exception {
        assertRefused(400, "body holds no frame", request(Frames.MESSAGES_PATH, A, new byte[0]).build());
        assertRefused(400, "malformed message", request(Frames.MESSAGES_PATH, A, Frames.frame(new byte[] {1, 2, 3}))
                .build());
        byte[] ok = body(new HeartbeatRequest(A, B, 1, 0, 1));
        byte[] cut = java.util.Arrays.copyOf(ok, ok.length - 1);
        assertRefused(400, "ends inside frame", request(Frames.MESSAGES_PATH, A, cut).build());
        assertRefused(413, "over the limit of " + MAX_MESSAGE, request(Frames.MESSAGES_PATH, A,
                new byte[] {(byte) 0xFF, (byte) 0xFF, 0x7F}).build());
        ByteArrayOutputStream many = new ByteArrayOutputStream();
        while (many.size() <= MAX_MESSAGE + 1024) {
            many.writeBytes(body(new HeartbeatRequest(A, B, 1, 0, 1)));
        }
        byte[] huge = many.toByteArray(); // valid messages, too many of them
        assertRefused(413, "exceeds the limit", request(Frames.MESSAGES_PATH, A, huge).build());
        // Streamed (no Content-Length): refused while reading, once past the limit.
        assertRefused(413, "exceeds the limit", request(Frames.MESSAGES_PATH, A, huge)
                .post(streamed(huge)).build());
        assertTrue(inbox.isEmpty(), "a refused request reached the node: " + inbox);
        assertStillServing();
        assertTrue(b.stats().rejectedMalformed.get() >= 6, b.stats().toString());
    }

    @Test
    void validBatch_ofEveryKind_isDeliveredWholeAndInOrder_overHttp2AndHttp1() throws Exception {
        List<RaftMessage> all = TestMessages.replication(A, B, 3);
        assertEquals("204", send(request(Frames.MESSAGES_PATH, A, body(all.toArray(new RaftMessage[0]))).build()));
        await("the batch", () -> inbox.size() >= all.size());
        assertEquals(all, new ArrayList<>(inbox));
        inbox.clear();
        OkHttpClient h1 = new OkHttpClient.Builder().protocols(List.of(Protocol.HTTP_1_1)).build();
        try {
            assertEquals("204", send(h1, request(Frames.MESSAGES_PATH, C, body(TestMessages.replication(C, B, 4)
                    .toArray(new RaftMessage[0]))).build()));
            await("the HTTP/1.1 batch", () -> inbox.size() >= all.size());
        } finally {
            h1.dispatcher().executorService().shutdown();
            h1.connectionPool().evictAll();
        }
    }

    @Test
    void snapshotUpload_streamedInSmallPieces_deliversEveryChunk() throws Exception {
        byte[] chunks = body(TestMessages.chunk(A, B, 1, 0, new byte[3000], false),
                TestMessages.chunk(A, B, 1, 3000, new byte[3000], false),
                TestMessages.chunk(A, B, 1, 6000, new byte[100], true));
        assertEquals("204", send(request(Frames.SNAPSHOT_PATH, A, chunks).post(streamed(chunks)).build()));
        await("three chunks", () -> inbox.size() == 3);
    }

    /** A body without Content-Length, written in 1000-byte pieces. */
    static RequestBody streamed(byte[] bytes) {
        return new RequestBody() {
            @Override
            public MediaType contentType() {
                return PROTOBUF;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                for (int at = 0; at < bytes.length; at += 1000) {
                    sink.write(bytes, at, Math.min(1000, bytes.length - at));
                    sink.flush();
                }
            }
        };
    }

    static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }
}
