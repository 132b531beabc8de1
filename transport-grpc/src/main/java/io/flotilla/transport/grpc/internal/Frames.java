package io.flotilla.transport.grpc.internal;

import io.grpc.KnownLength;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The gRPC service of the transport, declared by hand instead of generated: two client-streaming methods whose
 * messages are raw {@code Envelope} bytes, decoded by {@link io.flotilla.wire.internal.WireCodec} in the
 * transport's own code so that a malformed message becomes a typed, logged rejection rather than an opaque
 * marshaller failure.
 *
 * <ul>
 *   <li>{@code flotilla.transport.v1.Raft/Replicate}: every message except snapshot chunks, one long-lived
 *       stream per (sender, receiver) pair, in send order;</li>
 *   <li>{@code flotilla.transport.v1.Raft/Snapshot}: {@code InstallSnapshotRequest} chunks only, on a separate
 *       stream so a snapshot transfer never queues behind, or stalls, heartbeats.</li>
 * </ul>
 * Replies to a message travel on the receiver's own stream back to the sender; the single response of each
 * call is empty and only closes it.
 */
final class Frames {
    static final String SERVICE = "flotilla.transport.v1.Raft";
    static final Metadata.Key<String> CLUSTER_ID = Metadata.Key.of("flotilla-cluster-id", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> NODE_ID = Metadata.Key.of("flotilla-node-id", Metadata.ASCII_STRING_MARSHALLER);
    static final byte[] EMPTY = new byte[0];

    static final MethodDescriptor.Marshaller<byte[]> MARSHALLER = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new KnownLengthStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                // gRPC has already enforced maxInboundMessageSize on the frame. Its deframer's stream knows its
                // length: read into an array of exactly that size (readAllBytes would copy through chunk buffers).
                // The array is handed to WireCodec.decode, whose payloads share it; it is never reused here.
                if (stream instanceof KnownLength) {
                    int n = stream.available();
                    byte[] frame = new byte[n];
                    int read = stream.readNBytes(frame, 0, n);
                    if (read == n && stream.read() == -1) {
                        return frame;
                    }
                    throw new IOException("frame length changed while reading: announced " + n + ", read " + read);
                }
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    static final MethodDescriptor<byte[], byte[]> REPLICATE = method("Replicate");
    static final MethodDescriptor<byte[], byte[]> SNAPSHOT = method("Snapshot");

    private Frames() {}

    private static MethodDescriptor<byte[], byte[]> method(String name) {
        return MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.CLIENT_STREAMING)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
                .setRequestMarshaller(MARSHALLER)
                .setResponseMarshaller(MARSHALLER)
                .build();
    }

    private static final class KnownLengthStream extends ByteArrayInputStream implements KnownLength {
        KnownLengthStream(byte[] buf) {
            super(buf);
        }
    }
}
