package io.flotilla.transport.grpc.internal;

import static io.flotilla.transport.grpc.internal.GrpcTransportHardeningTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.ClusterId;
import io.flotilla.NodeId;
import io.flotilla.message.HeartbeatRequest;
import io.flotilla.message.RaftMessage;
import io.flotilla.spi.Capability;
import io.flotilla.spi.TransportContext;
import io.flotilla.transport.grpc.GrpcTransportOptions;
import io.flotilla.transport.grpc.GrpcTransportOptions.Tls;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS and mutual TLS with certificates generated at test time by keytool (see {@link TestCertificates}). */
class GrpcTransportTlsTest {
    private static final ClusterId CLUSTER = ClusterId.of("tls");
    private static final NodeId A = NodeId.of("a");
    private static final NodeId B = NodeId.of("b");

    @TempDir
    static Path dir;
    private static TestCertificates ca;
    private static Path storeA;
    private static Path storeB;
    private static Path[] pemB;
    private static Path rogueStore;

    private final List<GrpcTransport> open = new ArrayList<>();

    @BeforeAll
    static void makePki() throws Exception {
        long start = System.nanoTime();
        CompletableFuture<Path> rogue = CompletableFuture.supplyAsync(() -> {
            try {
                return TestCertificates.newCa(dir, "rogue-ca").issue("intruder");
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        ca = TestCertificates.newCa(dir, "flotilla-test-ca");
        CompletableFuture<Path> b = CompletableFuture.supplyAsync(() -> {
            try {
                return ca.issue("node-b");
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        storeA = ca.issue("node-a");
        storeB = b.get();
        pemB = TestCertificates.toPem(storeB);
        rogueStore = rogue.get();
        System.out.println("test PKI generated with keytool in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
    }

    @AfterEach
    void close() {
        open.forEach(GrpcTransport::close);
    }

    private GrpcTransport start(NodeId id, GrpcTransportOptions options, ConcurrentLinkedQueue<RaftMessage> inbox)
            throws IOException {
        GrpcTransport t = GrpcTransport.create(URI.create(options.scheme() + "://127.0.0.1:0"),
                new TransportContext(CLUSTER, id), options);
        open.add(t);
        t.start(inbox::add);
        return t;
    }

    @Test
    void mutualTls_pkcs12AndPem_exchangeMessagesBothWays() throws Exception {
        ConcurrentLinkedQueue<RaftMessage> inboxA = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<RaftMessage> inboxB = new ConcurrentLinkedQueue<>();
        GrpcTransport a = start(A, GrpcTransportOptions.newBuilder()
                .mutualTls(Tls.pkcs12(storeA, TestCertificates.PASSWORD, ca.caPem())).build(), inboxA);
        GrpcTransport b = start(B, GrpcTransportOptions.newBuilder()
                .mutualTls(Tls.pem(pemB[0], pemB[1], ca.caPem())).build(), inboxB);
        assertEquals("grpcs", a.localAddress().getScheme());
        assertTrue(a.capabilities().contains(Capability.TLS));
        a.updatePeers(Map.of(B, b.localAddress()));
        b.updatePeers(Map.of(A, a.localAddress()));
        a.send(new HeartbeatRequest(A, B, 1, 0, 1));
        b.send(new HeartbeatRequest(B, A, 1, 0, 2));
        await("a heartbeat over mTLS to b", () -> !inboxB.isEmpty());
        await("a heartbeat over mTLS to a", () -> !inboxA.isEmpty());
    }

    @Test
    void mutualTls_clientWithCertificateFromAnotherCa_isRefused() throws Exception {
        ConcurrentLinkedQueue<RaftMessage> inboxB = new ConcurrentLinkedQueue<>();
        GrpcTransport b = start(B, GrpcTransportOptions.newBuilder()
                .mutualTls(Tls.pkcs12(storeB, TestCertificates.PASSWORD, ca.caPem())).build(), inboxB);
        // The intruder trusts the real CA (so it can verify b) but its own certificate is from a rogue CA.
        GrpcTransport intruder = start(A, GrpcTransportOptions.newBuilder()
                .mutualTls(Tls.pkcs12(rogueStore, TestCertificates.PASSWORD, ca.caPem())).build(),
                new ConcurrentLinkedQueue<>());
        b.updatePeers(Map.of(A, intruder.localAddress()));
        intruder.updatePeers(Map.of(B, b.localAddress()));
        intruder.send(new HeartbeatRequest(A, B, 1, 0, 1));
        await("the intruder's stream to fail", () -> intruder.stats().streamsFailed.get() >= 1);
        assertEquals(0, b.stats().received.get());
        assertTrue(inboxB.isEmpty(), "a client with an untrusted certificate got a message through");
    }

    @Test
    void tls_plaintextClient_cannotTalkToTlsServer() throws Exception {
        ConcurrentLinkedQueue<RaftMessage> inboxB = new ConcurrentLinkedQueue<>();
        GrpcTransport b = start(B, GrpcTransportOptions.newBuilder()
                .tls(Tls.pkcs12(storeB, TestCertificates.PASSWORD, ca.caPem())).build(), inboxB);
        GrpcTransport a = start(A, GrpcTransportOptions.newBuilder().plaintext().build(),
                new ConcurrentLinkedQueue<>());
        URI tlsAddress = b.localAddress();
        URI downgraded = URI.create("grpc://127.0.0.1:" + tlsAddress.getPort());
        b.updatePeers(Map.of(A, a.localAddress()));
        a.updatePeers(Map.of(B, downgraded));
        a.send(new HeartbeatRequest(A, B, 1, 0, 1));
        await("the plaintext stream to fail", () -> a.stats().streamsFailed.get() >= 1);
        assertTrue(inboxB.isEmpty(), "plaintext reached a TLS server");
    }

    @Test
    void tlsAddress_underPlaintextOptions_isRejected() {
        GrpcTransportOptions plaintext = GrpcTransportOptions.newBuilder().plaintext().build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GrpcTransport.create(
                URI.create("grpcs://127.0.0.1:0"), new TransportContext(CLUSTER, A), plaintext));
        assertTrue(e.getMessage().contains("must use the grpc:// scheme"), e.getMessage());
    }

    @Test
    void provider_grpcsUri_buildsMutualTls() throws Exception {
        String q = "?keyStore=" + enc(storeA) + "&keyStorePassword=" + TestCertificates.PASSWORD + "&trust="
                + enc(ca.caPem());
        GrpcTransportOptions options = GrpcTransportProvider.options(URI.create("grpcs://127.0.0.1:0" + q));
        assertEquals(GrpcTransportOptions.Security.MUTUAL_TLS, options.security());
        assertTrue(options.toString().contains("***") && !options.toString().contains(TestCertificates.PASSWORD),
                "the password must not appear in toString: " + options);
        GrpcTransportOptions serverOnly = GrpcTransportProvider.options(
                URI.create("grpcs://127.0.0.1:0" + q + "&clientAuth=none"));
        assertEquals(GrpcTransportOptions.Security.TLS, serverOnly.security());
    }

    @Test
    void badKeyMaterial_failsStartWithIOException() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a key");
        GrpcTransportOptions options = GrpcTransportOptions.newBuilder()
                .mutualTls(Tls.pem(garbage, garbage, ca.caPem())).build();
        GrpcTransport t = GrpcTransport.create(URI.create("grpcs://127.0.0.1:0"), new TransportContext(CLUSTER, A),
                options);
        IOException e = assertThrows(IOException.class, () -> t.start(m -> { }));
        assertTrue(e.getMessage().contains("TLS"), e.getMessage());
        t.close();
        assertEquals(0, SharedResources.liveInstances(), "a failed start must release the shared threads");
    }

    private static String enc(Path p) {
        return URLEncoder.encode(p.toString(), StandardCharsets.UTF_8);
    }
}
