package io.flotilla.transport.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.ClusterId;
import io.flotilla.InvalidConfigException;
import io.flotilla.NodeId;
import io.flotilla.spi.TransportContext;
import io.flotilla.transport.http.HttpTransportOptions;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HttpTransportProviderTest {
    @Test
    void options_httpScheme_isPlaintextWithQueryLimits() {
        HttpTransportOptions o = HttpTransportProvider.options(URI.create("http://127.0.0.1:7000?maxQueuedMessages=10"
                + "&maxMessageBytes=65536&maxQueuedBytes=1000000&maxInFlightRequests=2&http2=false"
                + "&requestTimeoutMillis=1500&serverThreads=8"));
        assertEquals(HttpTransportOptions.Security.PLAINTEXT, o.security());
        assertEquals(10, o.maxQueuedMessages());
        assertEquals(65536, o.maxMessageBytes());
        assertEquals(65536 + 16, o.maxRequestBytes());
        assertEquals(1_000_000, o.maxQueuedBytes());
        assertEquals(2, o.maxInFlightRequests());
        assertFalse(o.http2());
        assertEquals(Duration.ofMillis(1500), o.requestTimeout());
        assertEquals(8, o.serverThreads());
    }

    @Test
    void options_unknownKeysAndTlsKeysOnPlaintext_areAllReported() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> HttpTransportProvider.options(
                URI.create("http://127.0.0.1:7000?colour=blue&trust=/ca.pem&maxQueuedMessages=ten&http2=maybe")));
        assertEquals(4, e.violations().size(), e.violations().toString());
        assertTrue(e.getMessage().contains("unknown option 'colour'"), e.getMessage());
        assertTrue(e.getMessage().contains("'trust' needs the https:// scheme"), e.getMessage());
        assertTrue(e.getMessage().contains("maxQueuedMessages must be an integer"), e.getMessage());
        assertTrue(e.getMessage().contains("http2 must be 'true' or 'false'"), e.getMessage());
    }

    @Test
    void options_httpsWithoutMaterial_isRejected_andPasswordNotEchoed() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> HttpTransportProvider.options(
                URI.create("https://127.0.0.1:7000?keyStorePassword=hunter2")));
        assertTrue(e.getMessage().contains("TLS identity missing"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), "password leaked into the error: " + e.getMessage());
    }

    @Test
    void options_outOfRangeValues_areAllReported() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> HttpTransportProvider.options(
                URI.create("http://127.0.0.1:7000?maxInFlightRequests=0&maxMessageBytes=10&clientThreads=0")));
        assertTrue(e.getMessage().contains("maxInFlightRequests must be in 1..64"), e.getMessage());
        assertTrue(e.getMessage().contains("maxMessageBytes must be >= 4096"), e.getMessage());
        assertTrue(e.getMessage().contains("clientThreads must be in 1..256"), e.getMessage());
    }

    @Test
    void builder_withoutSecurity_isRejected() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> HttpTransportOptions.newBuilder().build());
        assertTrue(e.getMessage().contains("security must be chosen explicitly"), e.getMessage());
    }

    @Test
    void create_wrongSchemeOrPath_isIllegalArgument() {
        TransportContext ctx = new TransportContext(ClusterId.of("c"), NodeId.of("a"));
        assertThrows(IllegalArgumentException.class,
                () -> new HttpTransportProvider().create(URI.create("http:opaque"), ctx));
        assertThrows(IllegalArgumentException.class,
                () -> new HttpTransportProvider().create(URI.create("grpc://127.0.0.1:1"), ctx));
        HttpTransportOptions plaintext = HttpTransportOptions.newBuilder().plaintext().build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> plaintext.createTransport(URI.create("https://127.0.0.1:0"), ctx));
        assertTrue(e.getMessage().contains("must use the http:// scheme"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> plaintext.createTransport(URI.create("http://127.0.0.1:0/raft"), ctx));
    }
}
