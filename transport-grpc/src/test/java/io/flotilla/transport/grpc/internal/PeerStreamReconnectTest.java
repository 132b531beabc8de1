package io.flotilla.transport.grpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flotilla.ClusterId;
import io.flotilla.NodeId;
import io.flotilla.message.HeartbeatRequest;
import io.flotilla.message.RaftMessage;
import io.flotilla.spi.TransportContext;
import io.flotilla.testkit.TestPorts;
import io.flotilla.transport.grpc.GrpcTransportOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Reconnection after a peer comes back at the same address. gRPC's pick_first keeps a channel that failed to
 * connect in TRANSIENT_FAILURE until a connection is READY ("sticky" failure), so a call started on it fails at
 * once. The stream must instead wait for the channel to report READY and open its call then.
 */
class PeerStreamReconnectTest {
    private static final ClusterId CLUSTER = ClusterId.of("reconnect");
    private static final NodeId A = NodeId.of("a");
    private static final NodeId B = NodeId.of("b");

    @Test
    void send_peerListeningAgain_streamOpensWhenChannelIsReady_notAfterTheBackoff() throws Exception {
        URI bAddress = URI.create("grpc://127.0.0.1:" + TestPorts.freeStablePort());
        // A backoff of an hour: within this test only the channel's READY notification can bring the stream back,
        // so the test passes only if the stream reacts to it (and fails by timeout, not by luck, if it does not).
        GrpcTransportOptions options = GrpcTransportOptions.newBuilder().plaintext()
                .reconnectBackoff(Duration.ofHours(1), Duration.ofHours(1)).build();
        GrpcTransport a = GrpcTransport.create(URI.create("grpc://127.0.0.1:0"), new TransportContext(CLUSTER, A),
                options);
        a.start(m -> { });
        GrpcTransport b = GrpcTransport.create(bAddress, new TransportContext(CLUSTER, B), options);
        try {
            a.updatePeers(Map.of(B, bAddress));
            a.send(new HeartbeatRequest(A, B, 1, 0, 1)); // nobody listens yet: the stream fails once
            GrpcTransportHardeningTest.await("the first attempt to fail", () -> a.stats().streamsFailed.get() == 1);

            CompletableFuture<RaftMessage> got = new CompletableFuture<>();
            b.start(got::complete); // the peer is back at the same address
            b.updatePeers(Map.of(A, a.localAddress()));
            a.send(new HeartbeatRequest(A, B, 1, 0, 2));

            assertEquals(new HeartbeatRequest(A, B, 1, 0, 2), got.get(30, TimeUnit.SECONDS));
            assertEquals(1, a.stats().streamsFailed.get(), "no call may be started, and failed, on the reconnecting "
                    + "channel: " + a.stats());
        } finally {
            b.close();
            a.close();
        }
    }

    @Test
    void inboundStreamFromPeer_reopensOutboundStreamAtOnce_notAfterTheBackoff() throws Exception {
        GrpcTransportOptions options = GrpcTransportOptions.newBuilder().plaintext()
                .reconnectBackoff(Duration.ofHours(1), Duration.ofHours(1)).build();
        GrpcTransport a = GrpcTransport.create(URI.create("grpc://127.0.0.1:0"), new TransportContext(CLUSTER, A),
                options);
        GrpcTransport b = GrpcTransport.create(URI.create("grpc://127.0.0.1:0"), new TransportContext(CLUSTER, B),
                options);
        try {
            a.start(m -> { });
            CompletableFuture<RaftMessage> got = new CompletableFuture<>();
            b.start(got::complete);
            a.updatePeers(Map.of(B, b.localAddress()));
            // B does not know A yet and refuses its stream; the connection stays up (READY), so no channel state
            // change will come, and A's next attempt is an hour away.
            a.send(new HeartbeatRequest(A, B, 1, 0, 1));
            GrpcTransportHardeningTest.await("A's stream to be refused", () -> a.stats().streamsFailed.get() == 1);
            a.send(new HeartbeatRequest(A, B, 1, 0, 2)); // waits in A's queue

            b.updatePeers(Map.of(A, a.localAddress()));
            b.send(new HeartbeatRequest(B, A, 1, 0, 3)); // B's stream reaching A tells A that B is up

            assertEquals(new HeartbeatRequest(A, B, 1, 0, 2), got.get(30, TimeUnit.SECONDS));
            assertEquals(1, a.stats().streamsFailed.get(), a.stats().toString());
        } finally {
            b.close();
            a.close();
        }
    }
}
