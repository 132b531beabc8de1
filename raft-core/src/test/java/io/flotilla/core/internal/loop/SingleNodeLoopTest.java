package io.flotilla.core.internal.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.Bytes;
import io.flotilla.ClusterConfig;
import io.flotilla.ClusterId;
import io.flotilla.IndeterminateStateException;
import io.flotilla.NodeFailedException;
import io.flotilla.NodeId;
import io.flotilla.NotLeaderException;
import io.flotilla.ProposalDroppedException;
import io.flotilla.ProposalResult;
import io.flotilla.RaftConfig;
import io.flotilla.RaftEventListener;
import io.flotilla.RaftStoppedException;
import io.flotilla.Role;
import io.flotilla.core.KvStateMachine;
import io.flotilla.testkit.mem.MemStorage;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The event loop driving the real protocol on a deterministic {@link ManualRuntime}: one node, every executor
 * run by the test, so group commit and failure handling are observed exactly (no sleeps, no threads).
 */
class SingleNodeLoopTest {
    static final NodeId N1 = NodeId.of("n1");
    static final ClusterConfig ONE = ClusterConfig.ofVoters(Map.of(N1, URI.create("test://n1")));

    final ManualRuntime runtime = new ManualRuntime(7);
    final RecordingTransport transport = new RecordingTransport();
    final MemStorage storage = MemStorage.create(N1);
    final KvStateMachine stateMachine = new KvStateMachine();
    final List<String> events = new ArrayList<>();
    EventLoopRaftNode node;


    EventLoopRaftNode build(ClusterConfig config, RaftConfig tuning) {
        RaftEventListener listener = new RaftEventListener() {
            @Override
            public void onRoleChanged(NodeId self, Role from, Role to, long term) {
                events.add("role " + from + "->" + to);
            }

            @Override
            public void onLeaderChanged(NodeId self, Optional<NodeId> leader, long term) {
                events.add("leader " + leader.map(NodeId::value).orElse("none"));
            }

            @Override
            public void onFailed(NodeId self, Throwable cause) {
                events.add("failed");
            }
        };
        return (EventLoopRaftNode) NodeFactory.create(new NodeSpec(ClusterId.of("c"), N1, config, tuning,
                stateMachine, transport, storage, runtime, listener, Set.of()));
    }

    void electSelf() {
        node = build(ONE, RaftConfig.defaults());
        node.start();
        for (int i = 0; i < 500 && node.status().role() != Role.LEADER; i++) {
            runtime.tick();
            runtime.runUntilIdle();
        }
        assertEquals(Role.LEADER, node.status().role(), "a single voter elects itself");
        runtime.runUntilIdle();
    }

    static Throwable failure(CompletableFuture<?> f) {
        assertTrue(f.isDone(), "future not completed");
        return org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class, f::get)
                .getCause();
    }

    @Test
    void start_singleVoter_becomesLeaderAndReportsEvents() {
        electSelf();
        assertTrue(events.contains("role FOLLOWER->LEADER") || events.contains("role CANDIDATE->LEADER")
                || events.contains("role PRE_CANDIDATE->LEADER"), events.toString());
        assertTrue(events.contains("leader n1"), events.toString());
        assertEquals(Optional.of(N1), node.status().leader());
    }

    @Test
    void propose_manyBeforeOneDrain_shareOneLogAppend() throws Exception {
        electSelf();
        long appendsBefore = node.persister().appendCalls();
        List<CompletableFuture<ProposalResult>> futures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            futures.add(node.propose(Bytes.ofUtf8("incr k")));
        }
        runtime.runUntilIdle();
        assertEquals(1, node.persister().appendCalls() - appendsBefore, "200 proposals, one durable append");
        long firstIndex = futures.get(0).get().logIndex();
        for (int i = 0; i < futures.size(); i++) {
            ProposalResult r = futures.get(i).get();
            assertEquals(firstIndex + i, r.logIndex(), "consecutive indices in proposal order");
            assertEquals(Long.toString(i + 1), r.value().utf8(), "applied in order");
        }
        assertEquals("200", stateMachine.get("k"));
        assertEquals(node.status().commitIndex(), node.status().appliedIndex());
    }

    @Test
    void read_afterWrites_seesLatestValue() throws Exception {
        electSelf();
        node.propose(Bytes.ofUtf8("set x 1"));
        CompletableFuture<ProposalResult> last = node.propose(Bytes.ofUtf8("set x 2"));
        runtime.runUntilIdle();
        assertTrue(last.isDone());
        CompletableFuture<Bytes> read = node.read(Bytes.ofUtf8("get x"));
        for (int i = 0; i < 50 && !read.isDone(); i++) {
            runtime.tick();
            runtime.runUntilIdle();
        }
        assertEquals("2", read.get().utf8());
    }

    @Test
    void propose_notLeader_failsWithLeaderHint() {
        ClusterConfig three = ClusterConfig.ofVoters(Map.of(N1, URI.create("test://n1"),
                NodeId.of("n2"), URI.create("test://n2"), NodeId.of("n3"), URI.create("test://n3")));
        node = build(three, RaftConfig.defaults());
        node.start();
        runtime.tick();
        runtime.runUntilIdle();
        NotLeaderException e = assertInstanceOf(NotLeaderException.class, failure(node.propose(Bytes.ofUtf8("x"))));
        assertEquals(Optional.empty(), e.leaderHint());
        assertTrue(e.isRetrySafe());
        assertInstanceOf(NotLeaderException.class, failure(node.read(Bytes.ofUtf8("get x"))));
        assertEquals(Map.of(NodeId.of("n2"), URI.create("test://n2"), NodeId.of("n3"), URI.create("test://n3")),
                transport.peers, "peers come from the configuration, without self");
    }

    @Test
    void storageFailure_onLeader_failsNodeAndPendingProposals() {
        electSelf();
        IOException fsync = new IOException("fsync: EIO");
        storage.failNextWrite(fsync);
        CompletableFuture<ProposalResult> appended = node.propose(Bytes.ofUtf8("set a 1"));
        runtime.runUntilIdle();

        assertEquals(Role.FAILED, node.status().role());
        assertTrue(node.status().failure().orElseThrow().contains("fsync: EIO"), node.status().toString());
        IndeterminateStateException e = assertInstanceOf(IndeterminateStateException.class, failure(appended));
        assertInstanceOf(NodeFailedException.class, e.getCause());
        assertTrue(events.contains("failed"), events.toString());
        assertEquals(0, runtime.timerCount(), "ticks stop: no more elections or heartbeats");

        NodeFailedException later = assertInstanceOf(NodeFailedException.class,
                failure(node.propose(Bytes.ofUtf8("set a 2"))));
        assertSame(e.getCause(), later);
        int sent = transport.sent.size();
        runtime.tick();
        runtime.runUntilIdle();
        assertEquals(sent, transport.sent.size(), "a failed node sends nothing more");
        assertEquals("", stateMachine.get("a"));
    }

    @Test
    void close_withPendingProposals_failsThemByWhetherTheyWereAppended() {
        electSelf();
        CompletableFuture<ProposalResult> appended = node.propose(Bytes.ofUtf8("set a 1"));
        ManualRuntime.runAll(runtime.loop); // appended by the protocol, not yet durable
        CompletableFuture<ProposalResult> queued = node.propose(Bytes.ofUtf8("set a 2"));
        node.close();
        assertInstanceOf(IndeterminateStateException.class, failure(appended));
        assertInstanceOf(RaftStoppedException.class, failure(queued));
        assertEquals(Role.STOPPED, node.status().role());
        assertTrue(transport.closed);
        assertInstanceOf(RaftStoppedException.class, failure(node.propose(Bytes.ofUtf8("x"))));
    }

    @Test
    void propose_pendingQueueFull_isDropped() {
        node = build(ONE, RaftConfig.newBuilder().maxPendingProposals(2).build());
        node.start();
        for (int i = 0; i < 500 && node.status().role() != Role.LEADER; i++) {
            runtime.tick();
            runtime.runUntilIdle();
        }
        CompletableFuture<ProposalResult> a = node.propose(Bytes.ofUtf8("set a 1"));
        CompletableFuture<ProposalResult> b = node.propose(Bytes.ofUtf8("set a 2"));
        CompletableFuture<ProposalResult> c = node.propose(Bytes.ofUtf8("set a 3"));
        ProposalDroppedException e = assertInstanceOf(ProposalDroppedException.class, failure(c));
        assertTrue(e.isRetrySafe());
        runtime.runUntilIdle();
        assertTrue(a.isDone() && !a.isCompletedExceptionally());
        assertTrue(b.isDone() && !b.isCompletedExceptionally());
        assertEquals("2", stateMachine.get("a"));
    }

    @Test
    void listenerThrows_isCaughtAndTheNodeKeepsWorking() throws Exception {
        RaftEventListener throwing = new RaftEventListener() {
            @Override
            public void onRoleChanged(NodeId self, Role from, Role to, long term) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void onLeaderChanged(NodeId self, Optional<NodeId> leader, long term) {
                throw new IllegalStateException("listener bug");
            }
        };
        node = (EventLoopRaftNode) NodeFactory.create(new NodeSpec(ClusterId.of("c"), N1, ONE,
                RaftConfig.defaults(), stateMachine, transport, storage, runtime, throwing, Set.of()));
        node.start();
        for (int i = 0; i < 500 && node.status().role() != Role.LEADER; i++) {
            runtime.tick();
            runtime.runUntilIdle();
        }
        assertEquals(Role.LEADER, node.status().role());
        CompletableFuture<ProposalResult> f = node.propose(Bytes.ofUtf8("set k v"));
        runtime.runUntilIdle();
        assertEquals("", f.get().value().utf8());
        assertEquals(f.get().logIndex(), node.status().appliedIndex(), "status publishes the applied index");
    }
}
