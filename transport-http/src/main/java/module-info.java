/**
 * Flotilla's HTTP transport: Raft messages as protobuf bodies ({@code application/x-protobuf}, the raft-wire
 * {@code Envelope} format shared with the gRPC transport) over an OkHttp client and an embedded Jetty 12 server,
 * HTTP/2 where possible (h2c with prior knowledge, or ALPN over TLS) and HTTP/1.1 keep-alive otherwise. Snapshot
 * chunks are streamed on a separate connection. TLS and mutual TLS. Select it with {@code http://host:port}
 * (plaintext) or {@code https://host:port} (TLS) addresses, or build
 * {@link io.flotilla.transport.http.HttpTransportOptions}.
 *
 * <p>Exports only the options package; the implementation and its provider live in
 * {@code io.flotilla.transport.http.internal}.
 *
 * @provides io.flotilla.spi.TransportProvider for the {@code http} and {@code https} URI schemes
 */
module io.flotilla.transport.http {
    requires transitive io.flotilla;
    requires io.flotilla.wire;
    requires okhttp3;                          // okhttp-jvm 5.x (explicit module; requires kotlin.stdlib, okio)
    requires org.eclipse.jetty.server;         // Jetty 12 core API, no servlets
    requires org.eclipse.jetty.http2.server;   // HTTP/2: h2c (prior knowledge) and h2 over TLS
    requires org.eclipse.jetty.alpn.server;    // ALPN negotiation of h2 / http/1.1 over TLS
    // The JDK ALPN implementation is a service provider of jetty-alpn-server; nothing else would resolve it on a
    // pure module path (checked by ModulePathSmokeIT).
    requires org.eclipse.jetty.alpn.java.server;
    requires org.slf4j;

    exports io.flotilla.transport.http;

    provides io.flotilla.spi.TransportProvider with io.flotilla.transport.http.internal.HttpTransportProvider;
}
