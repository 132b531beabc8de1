package io.flotilla.transport.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.InvalidConfigException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GrpcTransportOptionsTest {
    @Test
    void build_withoutSecurityChoice_fails() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> GrpcTransportOptions.newBuilder().build());
        assertEquals(1, e.violations().size());
        assertTrue(e.getMessage().contains("security must be chosen explicitly"), e.getMessage());
    }

    @Test
    void build_plaintext_hasDocumentedDefaults() {
        GrpcTransportOptions o = GrpcTransportOptions.newBuilder().plaintext().build();
        assertEquals(GrpcTransportOptions.Security.PLAINTEXT, o.security());
        assertEquals("grpc", o.scheme());
        assertEquals(16 * 1024 * 1024, o.maxMessageBytes());
        assertEquals(4096, o.maxQueuedMessages());
        assertEquals(64L * 1024 * 1024, o.maxQueuedBytes());
        assertEquals(4, o.maxQueuedSnapshotChunks());
        assertEquals(Duration.ofMillis(100), o.reconnectBackoffMin());
        assertEquals(Duration.ofSeconds(1), o.reconnectBackoffMax());
        assertEquals(1, o.ioThreads());
        assertEquals(2, o.callbackThreads());
    }

    @Test
    void build_listsEveryViolationAtOnce() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> GrpcTransportOptions.newBuilder()
                .mutualTls(new GrpcTransportOptions.Tls(java.util.Optional.of(Path.of("/nonexistent/chain.pem")),
                        java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(),
                        java.util.Optional.empty()))
                .maxMessageBytes(10)
                .maxQueuedMessages(0)
                .maxQueuedSnapshotChunks(0)
                .ioThreads(0)
                .reconnectBackoff(Duration.ofSeconds(5), Duration.ofSeconds(1))
                .stallTimeout(Duration.ZERO)
                .build());
        String m = e.getMessage();
        for (String expected : new String[] {"PEM identity needs both", "mutual TLS needs trustCertificates",
                "does not exist", "maxMessageBytes must be >= 4096", "maxQueuedMessages must be >= 1",
                "maxQueuedSnapshotChunks must be in 1..1024", "ioThreads must be in 1..64", "reconnectBackoffMax",
                "stallTimeout must be positive"}) {
            assertTrue(m.contains(expected), "missing '" + expected + "' in: " + m);
        }
        assertTrue(e.violations().size() >= 9, e.violations().toString());
    }

    @Test
    void build_tlsWithBothIdentities_isRejected() {
        Path p = Path.of("pom.xml"); // any readable file
        GrpcTransportOptions.Tls both = new GrpcTransportOptions.Tls(java.util.Optional.of(p), java.util.Optional.of(p),
                java.util.Optional.of(p), java.util.Optional.of("pw"), java.util.Optional.of(p));
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> GrpcTransportOptions.newBuilder().tls(both).build());
        assertTrue(e.getMessage().contains("not both"), e.getMessage());
    }
}
