package io.flotilla.core;

import io.flotilla.Bytes;
import io.flotilla.ClusterConfig;
import io.flotilla.ClusterId;
import io.flotilla.NodeId;
import io.flotilla.RaftConfig;
import io.flotilla.RaftNode;
import io.flotilla.Role;
import io.flotilla.spi.SnapshotImage;
import io.flotilla.spi.SnapshotReader;
import io.flotilla.spi.StateMachine;
import io.flotilla.testkit.mem.MemNetwork;
import io.flotilla.testkit.mem.MemStorage;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A quick, reproducible throughput probe of the whole node (event loop, persister, applier, protocol) for 3 nodes
 * in one JVM on the in-memory network and storage: closed-loop clients keep {@code c} proposals of 256 bytes
 * outstanding on the leader, for each concurrency {@code c}. Not a benchmark harness (no fork, no JMH); the
 * benchmarks module measures properly. Not run by the test suite.
 *
 * <pre>{@code
 * ./mvnw -q -B test-compile dependency:build-classpath -pl raft-core -am \
 *     -Dmdep.outputFile=/tmp/core-cp.txt -Dmdep.includeScope=test
 * java -cp raft-core/target/test-classes:raft-core/target/classes:$(cat /tmp/core-cp.txt) \
 *     io.flotilla.core.ThroughputProbe [seconds-per-level] [concurrency ...]
 * }</pre>
 */
public final class ThroughputProbe {
    private ThroughputProbe() {}

    /** Counts commands; the result is the new count. Deterministic, O(1), allocation-light. */
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
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int[] levels = args.length > 1
                ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {1, 16, 128, 1024};
        ClusterId cluster = ClusterId.of("probe");
        Map<NodeId, URI> members = new TreeMap<>();
        for (int i = 1; i <= 3; i++) {
            members.put(NodeId.of("n" + i), URI.create("mem://n" + i));
        }
        ClusterConfig config = ClusterConfig.ofVoters(members);
        MemNetwork network = MemNetwork.create();
        List<RaftNode> nodes = new ArrayList<>();
        for (NodeId id : members.keySet()) {
            nodes.add(Raft.newBuilder().clusterId(cluster).nodeId(id).initialConfig(config)
                    .config(RaftConfig.defaults()).stateMachine(new Counter())
                    .transport(network.transport(cluster, id)).storage(MemStorage.create(id)).build());
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
        System.out.println("concurrency  writes/s  (3 nodes, one JVM, mem network + mem storage, 256 B commands, "
                + seconds + " s per level after " + seconds + " s warm-up)");
        for (int c : levels) {
            run(leader, payload, c, seconds); // warm-up
            long done = run(leader, payload, c, seconds);
            System.out.printf("%11d  %8d%n", c, done / seconds);
        }
        nodes.forEach(RaftNode::close);
        network.close();
    }

    private static long run(RaftNode leader, Bytes payload, int concurrency, int seconds) throws InterruptedException {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong completed = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong inFlight = new AtomicLong();
        for (int i = 0; i < concurrency; i++) {
            issue(leader, payload, running, completed, failed, inFlight);
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
            AtomicLong failed, AtomicLong inFlight) {
        inFlight.incrementAndGet();
        leader.propose(payload).whenComplete((r, e) -> {
            inFlight.decrementAndGet();
            if (e == null) {
                completed.incrementAndGet();
            } else {
                failed.incrementAndGet();
            }
            if (running.get() && e == null) {
                issue(leader, payload, running, completed, failed, inFlight);
            }
        });
    }
}
