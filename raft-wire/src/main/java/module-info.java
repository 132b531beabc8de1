/**
 * Flotilla's wire format: the protobuf schema of every {@link io.flotilla.message.RaftMessage} and a hardened
 * codec between the two, shared by the network transports.
 *
 * <p>Nothing here is public API. The codec package and the generated protobuf classes are exported only to
 * the transport modules (qualified exports), so no protobuf type leaks into an application's view of
 * Flotilla. The generated package is additionally opened to {@code com.google.protobuf}, whose reflective
 * {@code toString}/{@code TextFormat} needs it.
 */
module io.flotilla.wire {
    requires transitive io.flotilla;
    requires transitive com.google.protobuf;

    exports io.flotilla.wire.internal to io.flotilla.transport.grpc, io.flotilla.transport.http;
    exports io.flotilla.wire.internal.proto to io.flotilla.transport.grpc, io.flotilla.transport.http;
    opens io.flotilla.wire.internal.proto to com.google.protobuf;
}
