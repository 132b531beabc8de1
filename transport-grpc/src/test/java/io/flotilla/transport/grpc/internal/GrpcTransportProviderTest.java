package io.flotilla.transport.grpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.ClusterId;
import io.flotilla.InvalidConfigException;
import io.flotilla.NodeId;
import io.flotilla.spi.TransportContext;
import io.flotilla.transport.grpc.GrpcTransportOptions;
import java.net.URI;
import org.junit.jupiter.api.Test;

class GrpcTransportProviderTest {
    @Test
    void options_grpcScheme_isPlaintextWithQueryLimits() {
        GrpcTransportOptions o = GrpcTransportProvider.options(
                URI.create("grpc://127.0.0.1:7000?maxQueuedMessages=10&maxMessageBytes=65536&maxQueuedBytes=1000000"
                        + "&maxQueuedSnapshotChunks=8"));
        assertEquals(GrpcTransportOptions.Security.PLAINTEXT, o.security());
        assertEquals(10, o.maxQueuedMessages());
        assertEquals(65536, o.maxMessageBytes());
        assertEquals(1_000_000, o.maxQueuedBytes());
        assertEquals(8, o.maxQueuedSnapshotChunks());
    }

    @Test
    void options_unknownKeysAndTlsKeysOnPlaintext_areAllReported() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> GrpcTransportProvider.options(
                URI.create("grpc://127.0.0.1:7000?colour=blue&trust=/ca.pem&maxQueuedMessages=ten")));
        assertEquals(3, e.violations().size(), e.violations().toString());
        assertTrue(e.getMessage().contains("unknown option 'colour'"), e.getMessage());
        assertTrue(e.getMessage().contains("'trust' needs the grpcs:// scheme"), e.getMessage());
        assertTrue(e.getMessage().contains("maxQueuedMessages must be an integer"), e.getMessage());
    }

    @Test
    void options_grpcsWithoutMaterial_isRejected_andPasswordNotEchoed() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> GrpcTransportProvider.options(
                URI.create("grpcs://127.0.0.1:7000?keyStorePassword=hunter2")));
        assertTrue(e.getMessage().contains("TLS identity missing"), e.getMessage());
        assertTrue(!e.getMessage().contains("hunter2"), "password leaked into the error: " + e.getMessage());
    }

    @Test
    void create_wrongScheme_isIllegalArgument() {
        TransportContext ctx = new TransportContext(ClusterId.of("c"), NodeId.of("a"));
        assertThrows(IllegalArgumentException.class,
                () -> new GrpcTransportProvider().create(URI.create("grpc:opaque"), ctx));
        assertThrows(IllegalArgumentException.class,
                () -> new GrpcTransportProvider().create(URI.create("http://127.0.0.1:1"), ctx));
    }
}
