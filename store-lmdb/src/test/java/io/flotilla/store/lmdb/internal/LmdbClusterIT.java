package io.flotilla.store.lmdb.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.Bytes;
import io.flotilla.ClusterConfig;
import io.flotilla.ClusterId;
import io.flotilla.NodeId;
import io.flotilla.RaftConfig;
import io.flotilla.RaftNode;
import io.flotilla.RaftStatus;
import io.flotilla.Role;
import io.flotilla.core.Raft;
import io.flotilla.spi.SnapshotImage;
import io.flotilla.spi.SnapshotPart;
import io.flotilla.spi.SnapshotReader;
import io.flotilla.spi.StateMachine;
import io.flotilla.testkit.mem.MemNetwork;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real nodes ({@code Raft.newBuilder()}) on the in-memory transport, each on a durable LMDB store opened by
 * URI through ServiceLoader: they elect a leader and replicate; the leader is stopped, the other two elect a new one
 * in a later term and keep committing; the old leader restarts on its LMDB directory (log and hard state reread)
 * and catches up from the new leader's log. Every key of every node is checked. (Snapshot catch-up is not covered
 * here: the core does not take snapshots yet.) Real time: waits poll with a deadline.
 */
class LmdbClusterIT {
    private static final ClusterId CLUSTER = ClusterId.of("lmdb-it");
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final RaftConfig CONFIG = RaftConfig.newBuilder()
            .tickInterval(Duration.ofMillis(10)).electionTicks(20).heartbeatTicks(3)
            .build();

    @TempDir
    Path dir;

    private final MemNetwork network = MemNetwork.create();
    private final Map<NodeId, RaftNode> nodes = new LinkedHashMap<>();
    private final Map<NodeId, KvMachine> machines = new LinkedHashMap<>();
    private ClusterConfig config;

    @AfterEach
    void closeAll() {
        nodes.values().forEach(RaftNode::close);
        network.close();
    }

    private void start(NodeId id) {
        KvMachine m = new KvMachine();
        RaftNode node = Raft.newBuilder()
                .clusterId(CLUSTER).nodeId(id).initialConfig(config).config(CONFIG)
                .stateMachine(m)
                .transport(network.transport(CLUSTER, id))
                .storage(URI.create("lmdb:" + dir.resolve(id.value()) + "?mapSizeBytes=1048576"))
                .build();
        nodes.put(id, node);
        machines.put(id, m);
        node.start();
    }

    @Test
    void threeNodes_elect_replicate_failOver_restart_andCatchUp() throws Exception {
        Map<NodeId, URI> members = new TreeMap<>();
        for (String id : List.of("n1", "n2", "n3")) {
            members.put(NodeId.of(id), URI.create("mem://" + id));
        }
        config = ClusterConfig.ofVoters(members);
        members.keySet().forEach(this::start);

        RaftNode leader = awaitLeader();
        long firstTerm = leader.status().term();
        for (int i = 1; i <= 30; i++) {
            leader.propose(Bytes.ofUtf8("set k" + i + " v" + i)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        awaitAllHold(30);

        NodeId stopped = leader.id();
        nodes.remove(stopped).close();
        machines.remove(stopped);
        RaftNode next = awaitLeader();
        assertTrue(next.status().term() > firstTerm, "the new leader must be in a later term");
        for (int i = 31; i <= 120; i++) {
            next.propose(Bytes.ofUtf8("set k" + i + " v" + i)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        awaitAllHold(120);

        start(stopped); // same LMDB directory: its log, hard state and snapshot survive
        awaitAllHold(120);
        RaftStatus back = nodes.get(stopped).status();
        assertTrue(back.appliedIndex() >= 120, "restarted node applied " + back.appliedIndex());
        System.out.println("LmdbClusterIT: " + stopped + " led term " + firstTerm + "; " + next.id() + " leads term "
                + next.status().term() + "; restarted " + stopped + " caught up to " + back.appliedIndex()
                + " at term " + back.term());
    }

    private RaftNode awaitLeader() throws InterruptedException {
        return await("one leader agreed by every running node", () -> {
            List<RaftNode> leaders = nodes.values().stream().filter(n -> n.status().role() == Role.LEADER)
                    .collect(Collectors.toList());
            if (leaders.size() != 1) {
                return Optional.empty();
            }
            RaftNode l = leaders.get(0);
            boolean agreed = nodes.values().stream().allMatch(n -> n.status().leader().equals(Optional.of(l.id())));
            return agreed ? Optional.of(l) : Optional.empty();
        });
    }

    /** Waits until every running node's machine holds k1..kN with their values, then checks them all. */
    private void awaitAllHold(int n) throws InterruptedException {
        await("every node to hold k1..k" + n, () -> machines.values().stream().allMatch(m -> m.size() >= n)
                ? Optional.of(true) : Optional.empty());
        for (Map.Entry<NodeId, KvMachine> e : machines.entrySet()) {
            for (int i = 1; i <= n; i++) {
                assertEquals("v" + i, e.getValue().get("k" + i), e.getKey() + " k" + i);
            }
        }
    }

    private <T> T await(String what, Supplier<Optional<T>> probe) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Optional<T> v = probe.get();
            if (v.isPresent()) {
                return v.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + WAIT + " waiting for " + what + "; nodes: "
                        + nodes.values().stream().map(x -> x.status().toString()).collect(Collectors.joining("\n")));
            }
            Thread.sleep(5);
        }
    }

    /** A replicated map of {@code set k v} commands, snapshotted as a whole. Thread-safe. */
    static final class KvMachine implements StateMachine {
        private final TreeMap<String, String> map = new TreeMap<>();

        synchronized int size() {
            return map.size();
        }

        synchronized String get(String k) {
            return map.get(k);
        }

        @Override
        public synchronized Bytes apply(long logIndex, Bytes command) {
            String[] p = command.utf8().split(" ", 3);
            map.put(p[1], p[2]);
            return Bytes.EMPTY;
        }

        @Override
        public synchronized Bytes query(Bytes query) {
            return Bytes.ofUtf8(map.getOrDefault(query.utf8(), ""));
        }

        @Override
        public synchronized SnapshotImage prepareSnapshot(long lastAppliedIndex) {
            Map<String, String> copy = new TreeMap<>(map);
            return out -> {
                DataOutputStream d = new DataOutputStream(out);
                d.writeInt(copy.size());
                for (Map.Entry<String, String> e : copy.entrySet()) {
                    d.writeUTF(e.getKey());
                    d.writeUTF(e.getValue());
                }
                d.flush();
            };
        }

        @Override
        public synchronized void restore(SnapshotReader snapshot) throws IOException {
            map.clear();
            for (SnapshotPart part : snapshot.parts()) {
                try (InputStream in = part.open(); DataInputStream d = new DataInputStream(in)) {
                    int n;
                    try {
                        n = d.readInt();
                    } catch (EOFException e) {
                        continue;
                    }
                    for (int i = 0; i < n; i++) {
                        map.put(d.readUTF(), d.readUTF());
                    }
                }
            }
        }
    }
}
