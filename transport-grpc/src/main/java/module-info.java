/**
 * Flotilla's gRPC transport: Raft messages over one flow-controlled HTTP/2 stream per peer, snapshot chunks on a
 * separate connection, TLS and mutual TLS. Select it with {@code grpc://host:port} (plaintext) or
 * {@code grpcs://host:port} (TLS) addresses, or build {@link io.flotilla.transport.grpc.GrpcTransportOptions}.
 *
 * <p>Exports only the options package; the implementation and its provider live in
 * {@code io.flotilla.transport.grpc.internal}.
 *
 * @provides io.flotilla.spi.TransportProvider for the {@code grpc} and {@code grpcs} URI schemes
 */
module io.flotilla.transport.grpc {
    requires transitive io.flotilla;
    requires io.flotilla.wire;
    requires io.grpc;                 // grpc-api (automatic module)
    requires io.grpc.netty.shaded;    // Netty server/channel builders, TLS (automatic module)
    // gRPC uses Guava at run time, but grpc-api is an automatic module and cannot declare it; guava-jre is an
    // explicit module, which nothing else would resolve on a pure module path (found by ModulePathSmokeIT).
    requires com.google.common;
    // Netty (inside grpc-netty-shaded, automatic) uses sun.misc.Unsafe for direct buffers when it can; on a pure
    // module path jdk.unsupported is only resolved if some module requires it. Without it Netty falls back to
    // heap buffers and extra copies (seen in ModulePathSmokeIT's output).
    requires jdk.unsupported;
    requires org.slf4j;

    exports io.flotilla.transport.grpc;

    provides io.flotilla.spi.TransportProvider with io.flotilla.transport.grpc.internal.GrpcTransportProvider;
}
