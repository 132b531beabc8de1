package io.flotilla.transport.http.internal;

import io.flotilla.ClusterId;
import io.flotilla.NodeId;
import io.flotilla.message.HeartbeatRequest;
import io.flotilla.message.HeartbeatResponse;
import io.flotilla.spi.Providers;
import io.flotilla.spi.Transport;
import io.flotilla.spi.TransportContext;
import io.flotilla.spi.TransportProvider;
import io.flotilla.testkit.TestPorts;
import java.net.URI;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Round-trip latency of one transport without Raft: node a sends a heartbeat, b's handler answers with a
 * heartbeat response through its own transport, a waits for it; {@code n} sequential round trips after a warm-up,
 * printing p50/p90/p99. Not run by the test suite.
 *
 * <pre>{@code
 * java -cp <as for TransportProbe> io.flotilla.transport.http.internal.PingPongProbe <grpc|http|http1> [n]
 * }</pre>
 */
public final class PingPongProbe {
    private PingPongProbe() {}

    public static void main(String[] args) throws Exception {
        String transport = args.length > 0 ? args[0] : "http";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        ClusterId cluster = ClusterId.of("pingpong");
        NodeId a = NodeId.of("a");
        NodeId b = NodeId.of("b");
        URI listenA = address(transport);
        URI listenB = address(transport);
        TransportProvider provider = Providers.transport(Optional.of(listenA));
        LinkedBlockingQueue<Long> replies = new LinkedBlockingQueue<>();
        try (Transport ta = provider.create(listenA, new TransportContext(cluster, a));
                Transport tb = provider.create(listenB, new TransportContext(cluster, b))) {
            ta.start(m -> {
                if (m instanceof HeartbeatResponse) {
                    replies.offer(((HeartbeatResponse) m).readContext());
                }
            });
            tb.start(m -> {
                if (m instanceof HeartbeatRequest) {
                    tb.send(new HeartbeatResponse(b, a, 1, ((HeartbeatRequest) m).readContext(), 0));
                }
            });
            ta.updatePeers(Map.of(b, tb.localAddress()));
            tb.updatePeers(Map.of(a, ta.localAddress()));
            long[] rtt = new long[n];
            for (int round = 0; round < 2; round++) { // warm-up, then measure
                for (int i = 0; i < n; i++) {
                    long start = System.nanoTime();
                    ta.send(new HeartbeatRequest(a, b, 1, 0, i));
                    Long got = replies.poll(5, TimeUnit.SECONDS);
                    while (got != null && got != i) {
                        got = replies.poll(5, TimeUnit.SECONDS);
                    }
                    if (got == null) {
                        throw new IllegalStateException("no reply to ping " + i);
                    }
                    rtt[i] = System.nanoTime() - start;
                }
            }
            Arrays.sort(rtt);
            System.out.printf("%s: %d round trips  p50 %.3f ms  p90 %.3f ms  p99 %.3f ms%n", transport, n,
                    rtt[n / 2] / 1e6, rtt[n * 9 / 10] / 1e6, rtt[n * 99 / 100] / 1e6);
        }
    }

    private static URI address(String transport) throws java.io.IOException {
        int port = TestPorts.freeStablePort();
        return URI.create("http1".equals(transport) ? "http://127.0.0.1:" + port + "?http2=false"
                : transport + "://127.0.0.1:" + port);
    }
}
