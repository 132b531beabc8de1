package io.flotilla.transport.http.internal;

import static io.flotilla.transport.http.internal.HttpHardeningTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.ClusterId;
import io.flotilla.NodeId;
import io.flotilla.message.HeartbeatRequest;
import io.flotilla.message.RaftMessage;
import io.flotilla.spi.Capability;
import io.flotilla.spi.TransportContext;
import io.flotilla.transport.http.HttpTransportOptions;
import io.flotilla.transport.http.HttpTransportOptions.Tls;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS and mutual TLS with certificates generated at test time by keytool (see {@link TestCertificates}). */
class HttpTransportTlsTest {
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

    private final List<HttpTransport> open = new ArrayList<>();

    @BeforeAll
    static void makePki() throws Exception {
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
    }

    @AfterEach
    void close() {
        open.forEach(HttpTransport::close);
    }

    private HttpTransport start(NodeId id, HttpTransportOptions options, ConcurrentLinkedQueue<RaftMessage> inbox)
            throws IOException {
        HttpTransport t = HttpTransport.create(URI.create(options.scheme() + "://127.0.0.1:0"),
                new TransportContext(CLUSTER, id), options);
        open.add(t);
        t.start(inbox::add);
        return t;
    }

    @Test
    void mutualTls_pkcs12AndPem_exchangeMessagesBothWays_overH2AndHttp1() throws Exception {
        for (boolean http2 : List.of(true, false)) {
            ConcurrentLinkedQueue<RaftMessage> inboxA = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<RaftMessage> inboxB = new ConcurrentLinkedQueue<>();
            HttpTransport a = start(A, HttpTransportOptions.newBuilder().http2(http2)
                    .mutualTls(Tls.pkcs12(storeA, TestCertificates.PASSWORD, ca.caPem())).build(), inboxA);
            HttpTransport b = start(B, HttpTransportOptions.newBuilder().http2(http2)
                    .mutualTls(Tls.pem(pemB[0], pemB[1], ca.caPem())).build(), inboxB);
            assertEquals("https", a.localAddress().getScheme());
            assertTrue(a.capabilities().contains(Capability.TLS));
            a.updatePeers(Map.of(B, b.localAddress()));
            b.updatePeers(Map.of(A, a.localAddress()));
            a.send(new HeartbeatRequest(A, B, 1, 0, 1));
            b.send(new HeartbeatRequest(B, A, 1, 0, 2));
            a.send(TestMessages.chunk(A, B, 1, 0, new byte[5000], true));
            await("a heartbeat and a snapshot chunk over mTLS to b (http2=" + http2 + ")", () -> inboxB.size() == 2);
            await("a heartbeat over mTLS to a (http2=" + http2 + ")", () -> !inboxA.isEmpty());
            await("a's batch response", () -> a.stats().lastProtocol != null);
            assertEquals(http2 ? "h2" : "http/1.1", a.stats().lastProtocol, "ALPN must negotiate the chosen version");
        }
    }

    @Test
    void mutualTls_clientWithCertificateFromAnotherCa_isRefused() throws Exception {
        ConcurrentLinkedQueue<RaftMessage> inboxB = new ConcurrentLinkedQueue<>();
        HttpTransport b = start(B, HttpTransportOptions.newBuilder()
                .mutualTls(Tls.pkcs12(storeB, TestCertificates.PASSWORD, ca.caPem())).build(), inboxB);
        // The intruder trusts the real CA (so it can verify b) but its own certificate is from a rogue CA.
        HttpTransport intruder = start(A, HttpTransportOptions.newBuilder()
                .mutualTls(Tls.pkcs12(rogueStore, TestCertificates.PASSWORD, ca.caPem())).build(),
                new ConcurrentLinkedQueue<>());
        b.updatePeers(Map.of(A, intruder.localAddress()));
        intruder.updatePeers(Map.of(B, b.localAddress()));
        intruder.send(new HeartbeatRequest(A, B, 1, 0, 1));
        await("the intruder's request to fail", () -> intruder.stats().requestsFailed.get() >= 1);
        assertEquals(0, b.stats().received.get());
        assertTrue(inboxB.isEmpty(), "a client with an untrusted certificate got a message through");
    }

    @Test
    void tlsServer_withoutClientAuth_acceptsAClientWithoutCertificate_butPlaintextIsRefused() throws Exception {
        ConcurrentLinkedQueue<RaftMessage> inboxB = new ConcurrentLinkedQueue<>();
        HttpTransport b = start(B, HttpTransportOptions.newBuilder()
                .tls(Tls.pkcs12(storeB, TestCertificates.PASSWORD, ca.caPem())).build(), inboxB);
        HttpTransport tlsClient = start(A, HttpTransportOptions.newBuilder()
                .tls(Tls.pkcs12(storeA, TestCertificates.PASSWORD, ca.caPem())).build(), new ConcurrentLinkedQueue<>());
        b.updatePeers(Map.of(A, tlsClient.localAddress()));
        tlsClient.updatePeers(Map.of(B, b.localAddress()));
        tlsClient.send(new HeartbeatRequest(A, B, 1, 0, 1));
        await("a heartbeat over server-authenticated TLS", () -> !inboxB.isEmpty());

        HttpTransport plain = start(NodeId.of("a2"), HttpTransportOptions.newBuilder().plaintext().build(),
                new ConcurrentLinkedQueue<>());
        b.updatePeers(Map.of(A, tlsClient.localAddress(), NodeId.of("a2"), URI.create("https://127.0.0.1:1")));
        plain.updatePeers(Map.of(B, URI.create("http://127.0.0.1:" + b.localAddress().getPort())));
        plain.send(new HeartbeatRequest(NodeId.of("a2"), B, 1, 0, 2));
        await("the plaintext request to fail", () -> plain.stats().requestsFailed.get() >= 1);
        assertTrue(inboxB.stream().noneMatch(m -> m.from().equals(NodeId.of("a2"))), "plaintext reached a TLS server");
    }

    @Test
    void provider_httpsUri_buildsMutualTls_andClientAuthNoneBuildsTls() throws Exception {
        String q = "?keyStore=" + enc(storeA) + "&keyStorePassword=" + TestCertificates.PASSWORD + "&trust="
                + enc(ca.caPem());
        HttpTransportOptions options = HttpTransportProvider.options(URI.create("https://127.0.0.1:0" + q));
        assertEquals(HttpTransportOptions.Security.MUTUAL_TLS, options.security());
        assertTrue(options.toString().contains("***") && !options.toString().contains(TestCertificates.PASSWORD),
                "the password must not appear in toString: " + options);
        HttpTransportOptions serverOnly = HttpTransportProvider.options(
                URI.create("https://127.0.0.1:0" + q + "&clientAuth=none"));
        assertEquals(HttpTransportOptions.Security.TLS, serverOnly.security());
    }

    @Test
    void badKeyMaterial_failsStartWithIOException_andLeavesNoThreads() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a key");
        HttpTransportOptions options = HttpTransportOptions.newBuilder()
                .mutualTls(Tls.pem(garbage, garbage, ca.caPem())).build();
        HttpTransport t = HttpTransport.create(URI.create("https://127.0.0.1:0"), new TransportContext(CLUSTER, A),
                options);
        IOException e = assertThrows(IOException.class, () -> t.start(m -> { }));
        assertTrue(e.getMessage().contains("TLS"), e.getMessage());
        t.close();
        await("the failed transport's threads to stop", () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(th -> th.getName().startsWith("flotilla-http-a-")));
    }

    private static String enc(Path p) {
        return URLEncoder.encode(p.toString(), StandardCharsets.UTF_8);
    }
}
