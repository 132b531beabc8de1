package io.flotilla.transport.http.internal;

import static io.flotilla.transport.http.internal.HttpHardeningTest.A;
import static io.flotilla.transport.http.internal.HttpHardeningTest.B;
import static io.flotilla.transport.http.internal.HttpHardeningTest.C;
import static io.flotilla.transport.http.internal.HttpHardeningTest.CLUSTER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.flotilla.message.HeartbeatRequest;
import io.flotilla.message.RaftMessage;
import io.flotilla.spi.TransportContext;
import io.flotilla.transport.http.HttpTransportOptions;
import io.flotilla.wire.internal.WireCodec;
import io.flotilla.wire.internal.WireFormatException;
import io.flotilla.wire.internal.WireLimits;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutation fuzzing of request bodies: valid batches and snapshot uploads mutated (bit flips, random bytes,
 * truncation, deleted, inserted and duplicated ranges, tampered length prefixes, splices) plus pure garbage.
 *
 * <p>Properties. Over HTTP against a running transport: every request is answered 204 or 4xx, never 5xx and never
 * a dropped connection; garbage is always 4xx; whatever was accepted came from the sender the headers name and is
 * addressed to the node; and the node still accepts a valid request at the end. In-process, at higher volume: the
 * framing decoder plus the wire codec only ever throw their own checked exceptions.
 *
 * <p>Seed: printed; replay with {@code -Dhttp.fuzz.seed=N}; more iterations with {@code -Dhttp.fuzz.iterations=N}
 * (network) and {@code -Dhttp.fuzz.decoderIterations=N}.
 */
class HttpFuzzTest {
    private static final int MAX_MESSAGE = 64 * 1024;
    private final WireCodec codec = new WireCodec(new WireLimits(MAX_MESSAGE, 1000));

    private List<byte[]> corpus(boolean snapshot) throws WireFormatException {
        List<byte[]> out = new ArrayList<>();
        if (snapshot) {
            byte[] data = new byte[700];
            new Random(1).nextBytes(data);
            out.add(body(List.of(TestMessages.chunk(A, B, 2, 0, data, false))));
            out.add(body(List.of(TestMessages.chunk(A, B, 2, 0, data, false), TestMessages.chunk(A, B, 2, 700, data,
                    true))));
        } else {
            List<RaftMessage> all = TestMessages.replication(A, B, 5);
            out.add(body(all));
            for (RaftMessage m : all) {
                out.add(body(List.of(m)));
            }
        }
        return out;
    }

    private byte[] body(List<? extends RaftMessage> messages) throws WireFormatException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (RaftMessage m : messages) {
            out.writeBytes(Frames.frame(codec.encode(CLUSTER, m)));
        }
        return out.toByteArray();
    }

    static byte[] mutate(Random r, byte[] in, List<byte[]> corpus) {
        byte[] b = in.clone();
        switch (r.nextInt(9)) {
            case 0: // flip bits
                for (int i = 0, n = 1 + r.nextInt(4); i < n && b.length > 0; i++) {
                    b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                }
                return b;
            case 1: // overwrite bytes
                for (int i = 0, n = 1 + r.nextInt(8); i < n && b.length > 0; i++) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
                return b;
            case 2: // truncate
                return Arrays.copyOf(b, b.length == 0 ? 0 : r.nextInt(b.length));
            case 3: { // delete a range
                if (b.length < 2) {
                    return b;
                }
                int from = r.nextInt(b.length - 1);
                int to = from + 1 + r.nextInt(b.length - from - 1);
                byte[] out = new byte[b.length - (to - from)];
                System.arraycopy(b, 0, out, 0, from);
                System.arraycopy(b, to, out, from, b.length - to);
                return out;
            }
            case 4: { // insert random bytes
                int at = b.length == 0 ? 0 : r.nextInt(b.length);
                byte[] ins = new byte[1 + r.nextInt(32)];
                r.nextBytes(ins);
                return splice(b, at, ins);
            }
            case 5: { // duplicate a range
                if (b.length < 2) {
                    return b;
                }
                int from = r.nextInt(b.length - 1);
                int len = 1 + r.nextInt(Math.min(64, b.length - from));
                return splice(b, from, Arrays.copyOfRange(b, from, from + len));
            }
            case 6: // tamper with the first length prefix (varint)
                if (b.length > 0) {
                    b[0] = (byte) r.nextInt(256);
                }
                if (b.length > 1 && r.nextBoolean()) {
                    b[1] = (byte) r.nextInt(256);
                }
                return b;
            case 7: { // splice two corpus bodies at random points
                byte[] other = corpus.get(r.nextInt(corpus.size()));
                int cut = b.length == 0 ? 0 : r.nextInt(b.length);
                int from = other.length == 0 ? 0 : r.nextInt(other.length);
                byte[] out = Arrays.copyOf(b, cut + other.length - from);
                System.arraycopy(other, from, out, cut, other.length - from);
                return out;
            }
            default: // several mutations
                return mutate(r, mutate(r, b, corpus), corpus);
        }
    }

    private static byte[] splice(byte[] b, int at, byte[] ins) {
        byte[] out = new byte[b.length + ins.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(ins, 0, out, at, ins.length);
        System.arraycopy(b, at, out, at + ins.length, b.length - at);
        return out;
    }

    @Test
    void mutatedAndGarbageBodies_overHttp_areAlways204or4xx_andTheNodeKeepsServing() throws Exception {
        long seed = Long.getLong("http.fuzz.seed", System.nanoTime());
        int iterations = Integer.getInteger("http.fuzz.iterations", 400);
        System.out.println("HttpFuzzTest (network) seed " + seed + ", " + iterations
                + " iterations (replay with -Dhttp.fuzz.seed=" + seed + ")");
        Random r = new Random(seed);
        ConcurrentLinkedQueue<RaftMessage> inbox = new ConcurrentLinkedQueue<>();
        HttpTransport b = HttpTransport.create(URI.create("http://127.0.0.1:0"), new TransportContext(CLUSTER, B),
                HttpTransportOptions.newBuilder().plaintext().maxMessageBytes(MAX_MESSAGE).maxEntriesPerMessage(1000)
                        .build());
        OkHttpClient client = new OkHttpClient.Builder().protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE))
                .retryOnConnectionFailure(false).build();
        Map<Integer, Integer> statuses = new TreeMap<>();
        try {
            b.start(inbox::add);
            b.updatePeers(Map.of(A, URI.create("http://127.0.0.1:1"), C, URI.create("http://127.0.0.1:2")));
            String base = "http://127.0.0.1:" + b.localAddress().getPort();
            List<byte[]> batches = corpus(false);
            List<byte[]> uploads = corpus(true);
            for (int i = 0; i < iterations; i++) {
                boolean snapshot = r.nextInt(4) == 0;
                boolean garbage = r.nextInt(8) == 0;
                List<byte[]> source = snapshot ? uploads : batches;
                byte[] body;
                if (garbage) {
                    body = new byte[r.nextInt(2000)];
                    r.nextBytes(body);
                } else {
                    body = mutate(r, source.get(r.nextInt(source.size())), source);
                }
                Request request = new Request.Builder()
                        .url(base + (snapshot ? Frames.SNAPSHOT_PATH : Frames.MESSAGES_PATH))
                        .header(Frames.CLUSTER_HEADER, CLUSTER.value())
                        .header(Frames.NODE_HEADER, A.value())
                        .header(Frames.TO_HEADER, B.value())
                        .header(Frames.SEQUENCE_HEADER, "7." + i)
                        .post(RequestBody.create(body, HttpHardeningTest.PROTOBUF))
                        .build();
                int status;
                try (Response response = client.newCall(request).execute()) {
                    status = response.code();
                } catch (java.io.IOException e) {
                    throw new AssertionError("iteration " + i + " (seed " + seed + "): connection failed: " + e, e);
                }
                statuses.merge(status, 1, Integer::sum);
                if (status != 204 && (status < 400 || status >= 500)) {
                    fail("iteration " + i + " (seed " + seed + "): status " + status + " for a "
                            + (garbage ? "garbage" : "mutated") + " body of " + body.length + " bytes");
                }
                if (garbage && status == 204 && body.length > 0) {
                    fail("iteration " + i + " (seed " + seed + "): garbage accepted");
                }
            }
            for (RaftMessage m : inbox) {
                assertEquals(A, m.from(), "accepted a message whose sender contradicts the headers: " + m);
                assertEquals(B, m.to(), "accepted a message addressed elsewhere: " + m);
            }
            inbox.clear();
            Request probe = new Request.Builder().url(base + Frames.MESSAGES_PATH)
                    .header(Frames.CLUSTER_HEADER, CLUSTER.value()).header(Frames.NODE_HEADER, A.value())
                    .header(Frames.TO_HEADER, B.value()).header(Frames.SEQUENCE_HEADER, "8.0")
                    .post(RequestBody.create(body(List.of(new HeartbeatRequest(A, B, 9, 0, 4242))),
                            HttpHardeningTest.PROTOBUF)).build();
            try (Response response = client.newCall(probe).execute()) {
                assertEquals(204, response.code(), "the node stopped serving after the fuzzing");
            }
            HttpHardeningTest.await("the probe after fuzzing", () -> inbox.stream().anyMatch(
                    m -> m instanceof HeartbeatRequest && ((HeartbeatRequest) m).readContext() == 4242));
            System.out.println("HttpFuzzTest statuses: " + statuses + "; " + b.stats());
            assertTrue(statuses.keySet().stream().anyMatch(s -> s >= 400), "no mutation was refused: " + statuses);
        } finally {
            b.close();
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    @Test
    void mutatedAndGarbageBodies_inProcess_onlyEverThrowTheCheckedDecodeExceptions() throws Exception {
        long seed = Long.getLong("http.fuzz.seed", System.nanoTime());
        int iterations = Integer.getInteger("http.fuzz.decoderIterations", 30_000);
        System.out.println("HttpFuzzTest (decoder) seed " + seed + ", " + iterations
                + " iterations (replay with -Dhttp.fuzz.seed=" + seed + ")");
        Random r = new Random(seed);
        List<byte[]> corpus = new ArrayList<>(corpus(false));
        corpus.addAll(corpus(true));
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < iterations; i++) {
            byte[] body;
            if (r.nextInt(8) == 0) {
                body = new byte[r.nextInt(2000)];
                r.nextBytes(body);
            } else {
                body = mutate(r, corpus.get(r.nextInt(corpus.size())), corpus);
            }
            Frames.Decoder decoder = new Frames.Decoder(MAX_MESSAGE, MAX_MESSAGE + 16);
            try {
                int at = 0;
                while (at < body.length) {
                    int len = Math.min(body.length - at, 1 + r.nextInt(300));
                    for (byte[] frame : decoder.feed(ByteBuffer.wrap(body, at, len))) {
                        codec.decode(frame);
                    }
                    at += len;
                }
                decoder.finish();
                accepted++;
            } catch (Frames.FrameException | WireFormatException expected) {
                refused++;
            } catch (RuntimeException | Error e) {
                throw new AssertionError("iteration " + i + " (seed " + seed + "): " + e, e);
            }
        }
        System.out.println("HttpFuzzTest (decoder): " + accepted + " accepted, " + refused + " refused");
        assertTrue(refused > iterations / 4, "the mutations are too weak: only " + refused + " refused");
    }
}
