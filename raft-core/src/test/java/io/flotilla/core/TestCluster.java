package io.flotilla.core;

import io.flotilla.Bytes;
import io.flotilla.ClusterConfig;
import io.flotilla.ClusterId;
import io.flotilla.IndeterminateStateException;
import io.flotilla.NodeId;
import io.flotilla.NotLeaderException;
import io.flotilla.ProposalDroppedException;
import io.flotilla.ProposalResult;
import io.flotilla.RaftConfig;
import io.flotilla.RaftNode;
import io.flotilla.RaftStatus;
import io.flotilla.Role;
import io.flotilla.testkit.mem.MemNetwork;
import io.flotilla.testkit.mem.MemStorage;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A cluster of real nodes (production runtime: real threads and clock) on the testkit's in-memory network and
 * storage, assembled through the public builder. Waits poll with a deadline; real time is allowed here only.
 */
final class TestCluster implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final RaftConfig TUNING = RaftConfig.newBuilder()
            .tickInterval(Duration.ofMillis(10)).electionTicks(20).heartbeatTicks(3).build();

    final ClusterId clusterId = ClusterId.of("cluster-test");
    final MemNetwork network = MemNetwork.create();
    final ClusterConfig config;
    final Map<NodeId, MemStorage> storages = new ConcurrentHashMap<>();
    final Map<NodeId, KvStateMachine> machines = new ConcurrentHashMap<>();
    final Map<NodeId, RaftNode> nodes = new ConcurrentHashMap<>();

    final RaftConfig tuning;

    TestCluster(int size) {
        this(size, TUNING);
    }

    TestCluster(int size, RaftConfig tuning) {
        this.tuning = tuning;
        Map<NodeId, URI> members = new TreeMap<>();
        for (int i = 1; i <= size; i++) {
            members.put(NodeId.of("n" + i), URI.create("mem://n" + i));
        }
        config = ClusterConfig.ofVoters(members);
        for (NodeId id : members.keySet()) {
            storages.put(id, MemStorage.create(id));
        }
    }

    void startAll() {
        for (NodeId id : config.voters()) {
            start(id);
        }
    }

    /** Starts (or restarts, on its surviving storage) one node with a fresh state machine. */
    RaftNode start(NodeId id) {
        KvStateMachine machine = new KvStateMachine();
        RaftNode node = Raft.newBuilder()
                .clusterId(clusterId).nodeId(id).initialConfig(config).config(tuning)
                .stateMachine(machine)
                .transport(network.transport(clusterId, id))
                .storage(storages.get(id))
                .build();
        machines.put(id, machine);
        nodes.put(id, node);
        node.start();
        return node;
    }

    /** Closes a node; its storage survives for a restart ({@link MemStorage#reopen()}). */
    void stop(NodeId id) {
        RaftNode node = nodes.remove(id);
        node.close();
        storages.put(id, storages.get(id).reopen());
    }

    RaftNode awaitLeader() {
        return await(() -> {
            RaftNode best = null;
            long maxTerm = -1;
            for (RaftNode n : nodes.values()) {
                maxTerm = Math.max(maxTerm, n.status().term());
            }
            for (RaftNode n : nodes.values()) {
                RaftStatus s = n.status();
                if (s.role() == Role.LEADER && s.term() == maxTerm) {
                    best = n;
                }
            }
            return Optional.ofNullable(best);
        }, "a leader");
    }

    /** Proposes, retrying on the current leader while the outcome is retry-safe or the command idempotent. */
    ProposalResult propose(String command) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            RaftNode leader = awaitLeader();
            try {
                return leader.propose(Bytes.ofUtf8(command)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                boolean retry = e.getCause() instanceof NotLeaderException
                        || e.getCause() instanceof ProposalDroppedException
                        || e.getCause() instanceof IndeterminateStateException; // commands used here are idempotent
                if (!retry || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(10);
            }
        }
    }

    /** Waits until every running node has applied the leader's commit index and holds the same commands. */
    void awaitConverged() {
        await(() -> {
            List<String> reference = null;
            long commit = -1;
            for (RaftNode n : nodes.values()) {
                if (n.status().role() == Role.LEADER) {
                    commit = n.status().commitIndex();
                }
            }
            if (commit < 0) {
                return Optional.empty();
            }
            for (Map.Entry<NodeId, RaftNode> e : nodes.entrySet()) {
                if (e.getValue().status().appliedIndex() < commit) {
                    return Optional.empty();
                }
                List<String> commands = machines.get(e.getKey()).appliedCommands();
                if (reference == null) {
                    reference = commands;
                } else if (!reference.equals(commands)) {
                    return Optional.empty();
                }
            }
            return Optional.of(Boolean.TRUE);
        }, "all nodes applied the same commands");
    }

    /**
     * Waits until every running node has applied the leader's commit index and holds the same key-value state (for
     * nodes caught up by a snapshot, whose applied command lists differ).
     */
    void awaitSameState() {
        awaitTrue(() -> {
            long commit = -1;
            for (RaftNode n : nodes.values()) {
                if (n.status().role() == Role.LEADER) {
                    commit = n.status().commitIndex();
                }
            }
            Map<String, String> reference = null;
            for (Map.Entry<NodeId, RaftNode> e : nodes.entrySet()) {
                if (commit < 0 || e.getValue().status().appliedIndex() < commit) {
                    return false;
                }
                Map<String, String> state = machines.get(e.getKey()).contents();
                if (reference != null && !reference.equals(state)) {
                    return false;
                }
                reference = state;
            }
            return true;
        }, "all nodes applied the commit index and hold the same state");
    }

    static void awaitTrue(BooleanSupplier condition, String what) {
        await(() -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty(), what);
    }

    static <T> T await(Supplier<Optional<T>> probe, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Optional<T> v = probe.get();
            if (v.isPresent()) {
                return v.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + WAIT + " waiting for " + what,
                        new TimeoutException(what));
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    @Override
    public void close() {
        for (RaftNode n : nodes.values()) {
            n.close();
        }
        nodes.clear();
        network.close();
    }
}
