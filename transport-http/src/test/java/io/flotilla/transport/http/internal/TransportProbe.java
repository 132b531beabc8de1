package io.flotilla.transport.http.internal;

import io.flotilla.Bytes;
import io.flotilla.ClusterConfig;
import io.flotilla.ClusterId;
import io.flotilla.NodeId;
import io.flotilla.RaftConfig;
import io.flotilla.RaftNode;
import io.flotilla.Role;
import io.flotilla.core.Raft;
import io.flotilla.spi.SnapshotImage;
import io.flotilla.spi.SnapshotReader;
import io.flotilla.spi.StateMachine;
import io.flotilla.testkit.TestPorts;
import io.flotilla.testkit.mem.MemStorage;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A quick throughput and latency probe of a network transport under Raft: 3 nodes in one JVM on 127.0.0.1, each
 * finding its transport through ServiceLoader by the scheme of its address, on the in-memory stores (so the
 * transport, not the disk, is what is measured); closed-loop clients keep {@code c} proposals of 256 bytes
 * outstanding on the leader, for each concurrency {@code c}; it prints writes/s and the commit latency
 * (p50/p99) of each level. Not a benchmark harness (no fork, no JMH); the benchmarks module measures properly.
 * Not run by the test suite.
 *
 * <p>Transports: {@code grpc}, {@code http} (h2c), {@code http1} (HTTP/1.1 keep-alive). Extra address options:
 * {@code -Dprobe.query=maxInFlightRequests=8}.
 *
 * <pre>{@code
 * ./mvnw -q -B test-compile dependency:build-classpath -pl transport-http -am \
 *     -Dmdep.outputFile=/tmp/http-cp.txt -Dmdep.includeScope=test
 * java -cp transport-http/target/test-classes:transport-http/target/classes:$(cat /tmp/http-cp.txt) \
 *     -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
 *     io.flotilla.transport.http.internal.TransportProbe <grpc|http|http1> [seconds-per-level] [concurrency ...]
 * }</pre>
 */
public final class TransportProbe {
    private TransportProbe() {}

    /** Counts commands. */
    static final class Counter implements StateMachine {
        private long count;

        @Override
        public Bytes apply(long logIndex, Bytes command) {
            count++;
            return Bytes.EMPTY;
        }

        @Override
        public Bytes query(Bytes query) {
            return Bytes.ofUtf8(Long.toString(count));
        }

        @Override
        public SnapshotImage prepareSnapshot(long lastAppliedIndex) {
            long frozen = count;
            return out -> out.write(Long.toString(frozen).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public void restore(SnapshotReader snapshot) throws IOException {
            count = 0;
        }
    }

    public static void main(String[] args) throws Exception {
        String transport = args.length > 0 ? args[0] : "http";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int[] levels = args.length > 2
                ? Arrays.stream(args, 2, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {1, 16, 128, 1024};
        ClusterId cluster = ClusterId.of("probe");
        Map<NodeId, URI> members = new TreeMap<>();
        for (int i = 1; i <= 3; i++) {
            int port = TestPorts.freeStablePort();
            String extra = System.getProperty("probe.query", "");
            members.put(NodeId.of("n" + i), URI.create("http1".equals(transport)
                    ? "http://127.0.0.1:" + port + "?http2=false" + (extra.isEmpty() ? "" : "&" + extra)
                    : transport + "://127.0.0.1:" + port + (extra.isEmpty() ? "" : "?" + extra)));
        }
        ClusterConfig config = ClusterConfig.ofVoters(members);
        List<RaftNode> nodes = new ArrayList<>();
        for (NodeId id : members.keySet()) {
            nodes.add(Raft.newBuilder().clusterId(cluster).nodeId(id).initialConfig(config)
                    .config(RaftConfig.defaults()).stateMachine(new Counter()).storage(MemStorage.create(id)).build());
        }
        nodes.forEach(RaftNode::start);
        RaftNode leader = null;
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (leader == null && System.nanoTime() < deadline) {
            for (RaftNode n : nodes) {
                if (n.status().role() == Role.LEADER) {
                    leader = n;
                }
            }
            Thread.sleep(10);
        }
        if (leader == null) {
            throw new IllegalStateException("no leader within 30 s");
        }
        Bytes payload = Bytes.copyOf(new byte[256]);
        System.out.println(transport + ": concurrency  writes/s  p50 ms  p99 ms  (3 nodes, one JVM, loopback, mem storage, "
                + "256 B commands, " + seconds + " s per level after " + seconds + " s warm-up)");
        for (int c : levels) {
            run(leader, payload, c, seconds, new Latencies()); // warm-up
            Latencies lat = new Latencies();
            long done = run(leader, payload, c, seconds, lat);
            System.out.printf("%s: %11d  %8d  %6.2f  %6.2f%n", transport, c, done / seconds, lat.percentile(0.50),
                    lat.percentile(0.99));
        }
        nodes.forEach(RaftNode::close);
    }

    /** Latency samples, in nanoseconds; keeps the first 2^21. Thread-safe. */
    static final class Latencies {
        private final long[] samples = new long[1 << 21];
        private final AtomicInteger count = new AtomicInteger();

        void add(long nanos) {
            int i = count.getAndIncrement();
            if (i < samples.length) {
                samples[i] = nanos;
            }
        }

        double percentile(double p) {
            int n = Math.min(count.get(), samples.length);
            if (n == 0) {
                return Double.NaN;
            }
            long[] sorted = Arrays.copyOf(samples, n);
            Arrays.sort(sorted);
            return sorted[Math.min(n - 1, (int) (p * n))] / 1e6;
        }
    }

    private static long run(RaftNode leader, Bytes payload, int concurrency, int seconds, Latencies latencies)
            throws InterruptedException {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong completed = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong inFlight = new AtomicLong();
        for (int i = 0; i < concurrency; i++) {
            issue(leader, payload, running, completed, failed, inFlight, latencies);
        }
        Thread.sleep(seconds * 1000L);
        running.set(false);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        if (failed.get() > 0) {
            System.out.println("  (" + failed.get() + " proposals failed)");
        }
        return completed.get();
    }

    private static void issue(RaftNode leader, Bytes payload, AtomicBoolean running, AtomicLong completed,
            AtomicLong failed, AtomicLong inFlight, Latencies latencies) {
        inFlight.incrementAndGet();
        long start = System.nanoTime();
        leader.propose(payload).whenComplete((r, e) -> {
            inFlight.decrementAndGet();
            if (e == null) {
                completed.incrementAndGet();
                latencies.add(System.nanoTime() - start);
            } else if (failed.incrementAndGet() == 1) {
                System.out.println("  first failure: " + e);
            }
            if (running.get() && e == null) {
                issue(leader, payload, running, completed, failed, inFlight, latencies);
            }
        });
    }
}
