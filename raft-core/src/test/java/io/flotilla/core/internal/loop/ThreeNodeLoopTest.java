package io.flotilla.core.internal.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.Bytes;
import io.flotilla.ClusterConfig;
import io.flotilla.ClusterId;
import io.flotilla.IndeterminateStateException;
import io.flotilla.NodeId;
import io.flotilla.NotLeaderException;
import io.flotilla.ProposalResult;
import io.flotilla.RaftConfig;
import io.flotilla.RaftEventListener;
import io.flotilla.Role;
import io.flotilla.core.KvStateMachine;
import io.flotilla.testkit.mem.MemNetwork;
import io.flotilla.testkit.mem.MemStorage;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three event-loop nodes on deterministic runtimes and an in-memory network whose deliveries the test runs:
 * leadership changes happen exactly when the test makes them, so the futures' failure semantics are checked
 * without timing. Seeded; the seed is fixed per test.
 */
class ThreeNodeLoopTest {
    static final ClusterId CLUSTER = ClusterId.of("c3");
    static final List<NodeId> IDS = List.of(NodeId.of("n1"), NodeId.of("n2"), NodeId.of("n3"));

    final ArrayDeque<Runnable> deliveries = new ArrayDeque<>();
    final MemNetwork network = MemNetwork.create((task, delay) -> deliveries.add(task), new SplittableRandom(3));
    final Map<NodeId, ManualRuntime> runtimes = new TreeMap<>();
    final Map<NodeId, EventLoopRaftNode> nodes = new TreeMap<>();
    final Map<NodeId, KvStateMachine> machines = new TreeMap<>();

    @BeforeEach
    void startCluster() {
        Map<NodeId, URI> members = new TreeMap<>();
        for (NodeId id : IDS) {
            members.put(id, URI.create("mem://" + id));
        }
        ClusterConfig config = ClusterConfig.ofVoters(members);
        long seed = 11;
        for (NodeId id : IDS) {
            ManualRuntime rt = new ManualRuntime(seed++);
            KvStateMachine m = new KvStateMachine();
            runtimes.put(id, rt);
            machines.put(id, m);
            nodes.put(id, (EventLoopRaftNode) NodeFactory.create(new NodeSpec(CLUSTER, id, config,
                    RaftConfig.defaults(), m, network.transport(CLUSTER, id), MemStorage.create(id), rt,
                    RaftEventListener.NONE, Set.of())));
        }
        nodes.values().forEach(EventLoopRaftNode::start);
    }

    /** Runs every node's executors and every delivery until nothing is left. */
    void settle() {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (ManualRuntime rt : runtimes.values()) {
                int before = rt.loop.size() + rt.storage.size() + rt.apply.size();
                rt.runUntilIdle();
                progress |= before > 0;
            }
            Runnable d;
            while ((d = deliveries.poll()) != null) {
                d.run();
                progress = true;
            }
        }
    }

    void tick(Set<NodeId> which) {
        for (NodeId id : which) {
            runtimes.get(id).tick();
        }
        settle();
    }

    EventLoopRaftNode awaitLeader(Set<NodeId> among) {
        for (int i = 0; i < 1000; i++) {
            EventLoopRaftNode leader = null;
            for (NodeId id : among) {
                if (nodes.get(id).status().role() == Role.LEADER) {
                    leader = nodes.get(id);
                }
            }
            if (leader != null) {
                return leader;
            }
            tick(among);
        }
        throw new AssertionError("no leader among " + among);
    }

    static Throwable failure(CompletableFuture<?> f) {
        assertTrue(f.isDone(), "future not completed");
        return org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, f::get).getCause();
    }

    @Test
    void propose_onFollower_failsWithLeaderHint() {
        EventLoopRaftNode leader = awaitLeader(Set.copyOf(IDS));
        tick(Set.copyOf(IDS));
        EventLoopRaftNode follower = nodes.get(IDS.stream().filter(id -> !id.equals(leader.id())).findFirst()
                .orElseThrow());
        NotLeaderException e = assertInstanceOf(NotLeaderException.class,
                failure(follower.propose(Bytes.ofUtf8("set a 1"))));
        assertEquals(Optional.of(leader.id()), e.leaderHint());
    }

    @Test
    void proposals_committed_areAppliedInTheSameOrderOnAllNodes() throws Exception {
        EventLoopRaftNode leader = awaitLeader(Set.copyOf(IDS));
        List<CompletableFuture<ProposalResult>> fs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            fs.add(leader.propose(Bytes.ofUtf8("incr c")));
            if (i % 7 == 0) {
                settle();
            }
        }
        settle();
        tick(Set.copyOf(IDS)); // a heartbeat carries the final commit index to the followers
        for (int i = 0; i < fs.size(); i++) {
            assertEquals(Integer.toString(i + 1), fs.get(i).get().value().utf8());
        }
        List<String> reference = machines.get(leader.id()).appliedCommands();
        for (KvStateMachine m : machines.values()) {
            assertEquals(reference, m.appliedCommands());
            assertEquals("50", m.get("c"));
        }
    }

    @Test
    void leadershipLost_afterAppend_failsProposalIndeterminate_andUnconfirmedReadNotLeader() {
        EventLoopRaftNode oldLeader = awaitLeader(Set.copyOf(IDS));
        tick(Set.copyOf(IDS));
        network.isolate(oldLeader.id());
        CompletableFuture<ProposalResult> appended = oldLeader.propose(Bytes.ofUtf8("set lost 1"));
        CompletableFuture<Bytes> read = oldLeader.read(Bytes.ofUtf8("get lost"));
        settle();
        assertFalse(appended.isDone(), "isolated: cannot commit");

        Set<NodeId> others = new java.util.TreeSet<>(IDS);
        others.remove(oldLeader.id());
        EventLoopRaftNode newLeader = awaitLeader(others);
        assertNotEquals(oldLeader.id(), newLeader.id());
        network.heal();
        for (int i = 0; i < 50 && oldLeader.status().role() == Role.LEADER; i++) {
            tick(Set.copyOf(IDS));
        }
        assertNotEquals(Role.LEADER, oldLeader.status().role());

        IndeterminateStateException e = assertInstanceOf(IndeterminateStateException.class, failure(appended));
        assertFalse(e.isRetrySafe());
        assertTrue(e.logIndex() > 0);
        assertInstanceOf(NotLeaderException.class, failure(read));
        tick(Set.copyOf(IDS));
        assertEquals("", machines.get(oldLeader.id()).get("lost"), "the uncommitted entry was overwritten (§5.3)");
        assertNotNull(newLeader.status());
    }
}
