package io.flotilla.transport.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.flotilla.Bytes;
import io.flotilla.ClusterConfig;
import io.flotilla.ClusterId;
import io.flotilla.NodeId;
import io.flotilla.ProposalResult;
import io.flotilla.RaftNode;
import io.flotilla.RaftStatus;
import io.flotilla.Role;
import io.flotilla.core.Raft;
import io.flotilla.spi.SnapshotImage;
import io.flotilla.spi.SnapshotReader;
import io.flotilla.spi.StateMachine;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One scenario, run over each network transport: three real Raft nodes ({@code io.flotilla.core}) on 127.0.0.1,
 * each storing its log in the file store ({@code file:} URIs, fsync on), each finding its transport through
 * ServiceLoader by the scheme of its own address (no transport is passed to the builder): they elect a leader,
 * replicate commands to every replica, and after the leader is closed the other two elect a new leader in a
 * higher term and keep committing.
 *
 * <p>Parameters: {@code grpc} (the gRPC transport), {@code http} (this transport over h2c) and {@code http1} (this
 * transport over HTTP/1.1 keep-alive, {@code ?http2=false}). Real time: every wait polls with a deadline.
 */
class TransportClusterIT {
    private static final ClusterId CLUSTER = ClusterId.of("transport-it");
    private static final long TIMEOUT_MS = 30_000;

    private final Map<NodeId, RaftNode> nodes = new LinkedHashMap<>();
    private final Map<NodeId, RecordingStateMachine> machines = new LinkedHashMap<>();

    private Path dataDir;

    @AfterEach
    void closeAll() throws IOException {
        nodes.values().forEach(RaftNode::close);
        if (dataDir != null) {
            try (var files = Files.walk(dataDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"grpc", "http", "http1"})
    void threeNodes_elect_replicate_andReelectAfterTheLeaderIsClosed(String transport) throws Exception {
        Map<NodeId, URI> addresses = new TreeMap<>();
        for (String id : List.of("n1", "n2", "n3")) {
            int port = freePort();
            addresses.put(NodeId.of(id), URI.create("http1".equals(transport)
                    ? "http://127.0.0.1:" + port + "?http2=false" : transport + "://127.0.0.1:" + port));
        }
        ClusterConfig config = ClusterConfig.ofVoters(addresses);
        dataDir = Files.createTempDirectory("flotilla-transport-it");
        for (NodeId id : addresses.keySet()) {
            RecordingStateMachine sm = new RecordingStateMachine();
            RaftNode node = Raft.newBuilder()
                    .clusterId(CLUSTER)
                    .nodeId(id)
                    .initialConfig(config)
                    .stateMachine(sm)
                    .storage(dataDir.resolve(id.value()).toUri())
                    .build();
            nodes.put(id, node);
            machines.put(id, sm);
        }
        nodes.values().forEach(RaftNode::start);

        RaftNode leader = awaitLeader(List.copyOf(nodes.values()));
        long firstTerm = leader.status().term();
        for (int i = 1; i <= 20; i++) {
            ProposalResult r = leader.propose(Bytes.ofUtf8("cmd-" + i)).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            assertTrue(r.logIndex() > 0);
        }
        awaitReplicas(List.copyOf(machines.values()), 20);

        NodeId oldLeader = leader.id();
        leader.close();
        nodes.remove(oldLeader);
        RaftNode newLeader = awaitLeader(List.copyOf(nodes.values()));
        assertTrue(newLeader.status().term() > firstTerm, "the new leader must be in a later term");
        for (int i = 21; i <= 30; i++) {
            newLeader.propose(Bytes.ofUtf8("cmd-" + i)).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        List<RecordingStateMachine> survivors = nodes.keySet().stream().map(machines::get).collect(Collectors.toList());
        awaitReplicas(survivors, 30);
        System.out.println("TransportClusterIT[" + transport + "]: leader " + oldLeader + " (term " + firstTerm + ") closed; " + newLeader.id()
                + " leads in term " + newLeader.status().term());
    }

    /** Waits until exactly one of {@code candidates} leads and every other one agrees on it. */
    private static RaftNode awaitLeader(List<RaftNode> candidates) throws InterruptedException {
        return await("a leader agreed by " + candidates.size() + " nodes", () -> {
            List<RaftNode> leaders = candidates.stream().filter(n -> n.status().role() == Role.LEADER)
                    .collect(Collectors.toList());
            if (leaders.size() != 1) {
                return Optional.empty();
            }
            RaftNode l = leaders.get(0);
            for (RaftNode n : candidates) {
                RaftStatus s = n.status();
                if (!s.leader().equals(Optional.of(l.id()))) {
                    return Optional.empty();
                }
            }
            return Optional.of(l);
        }, () -> candidates.stream().map(n -> n.status().toString()).collect(Collectors.joining("\n")));
    }

    private static void awaitReplicas(List<RecordingStateMachine> replicas, int commands) throws InterruptedException {
        await("every replica to apply " + commands + " commands", () -> replicas.stream()
                .allMatch(m -> m.commands().size() >= commands) ? Optional.of(true) : Optional.empty(),
                () -> replicas.stream().map(m -> m.commands().toString()).collect(Collectors.joining("\n")));
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= commands; i++) {
            expected.add("cmd-" + i);
        }
        for (RecordingStateMachine m : replicas) {
            assertEquals(expected, m.commands().subList(0, commands), "replicas applied different commands");
        }
    }

    private static <T> T await(String what, Supplier<Optional<T>> probe, Supplier<String> state)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (true) {
            Optional<T> v = probe.get();
            if (v.isPresent()) {
                return v.get();
            }
            if (System.nanoTime() > deadline) {
                fail("timed out after " + TIMEOUT_MS + " ms waiting for " + what + "; state:\n" + state.get());
            }
            Thread.sleep(20);
        }
    }

    private static int freePort() throws IOException {
        return io.flotilla.testkit.TestPorts.freeStablePort(); // not ephemeral: see TestPorts
    }

    /** Records applied commands in order; snapshots are the list itself. Called on the node's apply thread. */
    private static final class RecordingStateMachine implements StateMachine {
        private final List<String> applied = new ArrayList<>();

        synchronized List<String> commands() {
            return List.copyOf(applied);
        }

        @Override
        public synchronized Bytes apply(long logIndex, Bytes command) {
            applied.add(command.utf8());
            return Bytes.ofUtf8("ok " + logIndex);
        }

        @Override
        public synchronized Bytes query(Bytes query) {
            return Bytes.ofUtf8(Integer.toString(applied.size()));
        }

        @Override
        public synchronized SnapshotImage prepareSnapshot(long lastAppliedIndex) {
            List<String> copy = List.copyOf(applied);
            return out -> {
                DataOutputStream d = new DataOutputStream(out);
                d.writeInt(copy.size());
                for (String c : copy) {
                    d.writeUTF(c);
                }
                d.flush();
            };
        }

        @Override
        public synchronized void restore(SnapshotReader snapshot) throws IOException {
            throw new IOException("this test never installs snapshots");
        }
    }
}
