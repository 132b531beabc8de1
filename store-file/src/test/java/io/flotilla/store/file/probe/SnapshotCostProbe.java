package io.flotilla.store.file.probe;

import io.flotilla.ClusterConfig;
import io.flotilla.ClusterId;
import io.flotilla.NodeId;
import io.flotilla.RaftConfig;
import io.flotilla.RaftNode;
import io.flotilla.Role;
import io.flotilla.SnapshotConfig;
import io.flotilla.SnapshotMeta;
import io.flotilla.core.Raft;
import io.flotilla.testkit.mem.MemNetwork;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures what issue #4 asks: for a key-value state of {@code keys} keys with 100-byte values and 1 % of them
 * changed since the last snapshot, the time and bytes of a full snapshot versus an incremental one, and the heap
 * during a follower's InstallSnapshot. Three real nodes in one JVM (in-memory transport, file store with fsync on,
 * under {@code -Dprobe.dir}); the third starts only after the leader compacted its log, so it is caught up by a
 * snapshot. Not a test: run it as described in docs/snapshots.md. Prints one line per figure.
 */
public final class SnapshotCostProbe {
    private static final int KEYS = Integer.getInteger("probe.keys", 1_000_000);
    private static final int PER_COMMAND = 1000;

    private SnapshotCostProbe() {}

    /**
     * @param args unused
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Path root = Files.createTempDirectory(Path.of(System.getProperty("probe.dir", "/var/tmp")), "snapprobe");
        ClusterId cluster = ClusterId.of("probe");
        Map<NodeId, URI> members = new TreeMap<>();
        for (int i = 1; i <= 3; i++) {
            members.put(NodeId.of("n" + i), URI.create("mem://n" + i));
        }
        ClusterConfig config = ClusterConfig.ofVoters(members);
        // Long election timeouts: the probe's big heap and the shared machine cause pauses; a leader change is
        // survived (idempotent puts are retried) but not wanted.
        RaftConfig tuning = RaftConfig.newBuilder().tickInterval(Duration.ofMillis(10)).electionTicks(300)
                .heartbeatTicks(10)
                .snapshots(SnapshotConfig.newBuilder().thresholdEntries(0).thresholdBytes(0).trailingEntries(0)
                        .maxDeltaChain(8).build())
                .build();
        MemNetwork network = MemNetwork.create();
        Map<NodeId, RaftNode> nodes = new TreeMap<>();
        Map<NodeId, ProbeKv> machines = new TreeMap<>();
        for (NodeId id : List.of(NodeId.of("n1"), NodeId.of("n2"))) {
            start(id, cluster, config, tuning, network, root, nodes, machines);
        }
        RaftNode leader = awaitLeader(nodes);
        System.out.printf("probe: %d keys, 100-byte values, file store under %s%n", KEYS, root);

        long t0 = System.nanoTime();
        leader = load(nodes, leader, 0, KEYS, "v0");
        System.out.printf("probe: loaded %d keys in %.1f s%n", KEYS, (System.nanoTime() - t0) / 1e9);

        SnapshotMeta full = timedSnapshot(leader, "full", root);
        leader = load(nodes, leader, 0, KEYS / 100, "v1"); // 1 % of the keys change
        SnapshotMeta delta = timedSnapshot(leader, "incremental (1 % changed)", root);
        long fullBytes = partBytes(root, leader.id(), full, "full");
        long deltaBytes = partBytes(root, leader.id(), delta, "delta");
        System.out.printf("probe: incremental / full bytes = %.2f %%%n", 100.0 * deltaBytes / fullBytes);

        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        AtomicLong peak = new AtomicLong(before);
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(rt.totalMemory() - rt.freeMemory(), Math::max);
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        long t1 = System.nanoTime();
        NodeId late = NodeId.of("n3");
        start(late, cluster, config, tuning, network, root, nodes, machines);
        long target = leader.status().commitIndex();
        while (nodes.get(late).status().appliedIndex() < target) {
            Thread.sleep(5);
        }
        long installNanos = System.nanoTime() - t1;
        sampler.interrupt();
        sampler.join();
        System.gc();
        long after = rt.totalMemory() - rt.freeMemory();
        System.out.printf("probe: follower install + restore of the chain: %.2f s; heap before %d MiB, peak %d MiB,"
                + " after (with the follower's restored state) %d MiB; max heap %d MiB%n", installNanos / 1e9,
                before >> 20, peak.get() >> 20, after >> 20, rt.maxMemory() >> 20);
        if (!machines.get(late).sameAs(machines.get(leader.id()))) {
            throw new AssertionError("the follower's state differs from the leader's");
        }
        System.out.println("probe: the follower's state equals the leader's");
        for (RaftNode n : nodes.values()) {
            n.close();
        }
    }

    private static void start(NodeId id, ClusterId cluster, ClusterConfig config, RaftConfig tuning,
            MemNetwork network, Path root, Map<NodeId, RaftNode> nodes, Map<NodeId, ProbeKv> machines) {
        ProbeKv kv = new ProbeKv();
        RaftNode node = Raft.newBuilder().clusterId(cluster).nodeId(id).initialConfig(config).config(tuning)
                .stateMachine(kv).transport(network.transport(cluster, id))
                .storage(URI.create("file:" + root.resolve(id.toString()))).build();
        node.start();
        nodes.put(id, node);
        machines.put(id, kv);
    }

    private static RaftNode awaitLeader(Map<NodeId, RaftNode> nodes) throws InterruptedException {
        while (true) {
            for (RaftNode n : nodes.values()) {
                if (n.status().role() == Role.LEADER) {
                    return n;
                }
            }
            Thread.sleep(10);
        }
    }

    /** Proposes the puts, 64 commands in flight; a command lost to a leader change is retried on the new one. */
    private static RaftNode load(Map<NodeId, RaftNode> nodes, RaftNode leader, int from, int to, String version)
            throws Exception {
        List<int[]> ranges = new ArrayList<>();
        List<CompletableFuture<?>> inflight = new ArrayList<>();
        for (int k = from; k < to; k += PER_COMMAND) {
            ranges.add(new int[] {k, Math.min(to, k + PER_COMMAND)});
            inflight.add(leader.propose(ProbeKv.putBatch(k, Math.min(to, k + PER_COMMAND), version)));
            if (inflight.size() >= 64) {
                leader = settle(nodes, leader, ranges.remove(0), inflight.remove(0), version);
            }
        }
        while (!inflight.isEmpty()) {
            leader = settle(nodes, leader, ranges.remove(0), inflight.remove(0), version);
        }
        return leader;
    }

    private static RaftNode settle(Map<NodeId, RaftNode> nodes, RaftNode leader, int[] range,
            CompletableFuture<?> f, String version) throws Exception {
        while (true) {
            try {
                f.get(60, TimeUnit.SECONDS);
                return leader;
            } catch (java.util.concurrent.ExecutionException e) {
                System.out.println("probe: retrying a put after " + e.getCause());
                Thread.sleep(100);
                leader = awaitLeader(nodes);
                f = leader.propose(ProbeKv.putBatch(range[0], range[1], version));
            }
        }
    }

    private static SnapshotMeta timedSnapshot(RaftNode leader, String what, Path root) throws Exception {
        long t = System.nanoTime();
        SnapshotMeta meta = leader.takeSnapshot().get(10, TimeUnit.MINUTES);
        System.out.printf("probe: %s snapshot at %d: %.3f s%n", what, meta.lastIncludedIndex(),
                (System.nanoTime() - t) / 1e9);
        return meta;
    }

    private static long partBytes(Path root, NodeId node, SnapshotMeta meta, String kind) throws Exception {
        Path dir = root.resolve(node.toString()).resolve("snapshots");
        try (var files = Files.list(dir)) {
            Path p = files.filter(f -> f.getFileName().toString().endsWith(kind + ".part"))
                    .filter(f -> f.getFileName().toString()
                            .startsWith(String.format("%020d", meta.lastIncludedIndex())))
                    .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " part at " + meta));
            long size = Files.size(p);
            System.out.printf("probe: %s part %s: %,d bytes%n", kind, p.getFileName(), size);
            return size;
        }
    }
}
