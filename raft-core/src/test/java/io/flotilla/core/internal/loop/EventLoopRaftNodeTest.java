package io.flotilla.core.internal.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.Bytes;
import io.flotilla.ClusterConfig;
import io.flotilla.ClusterId;
import io.flotilla.HardState;
import io.flotilla.NodeFailedException;
import io.flotilla.NodeId;
import io.flotilla.ProposalDroppedException;
import io.flotilla.RaftConfig;
import io.flotilla.RaftEventListener;
import io.flotilla.RaftNode;
import io.flotilla.RaftStoppedException;
import io.flotilla.Role;
import io.flotilla.core.KvStateMachine;
import io.flotilla.spi.LogStore;
import io.flotilla.spi.SnapshotStore;
import io.flotilla.spi.StateStore;
import io.flotilla.spi.Storage;
import io.flotilla.testkit.mem.MemStorage;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** Node behaviour that does not depend on the protocol: lifecycle, refusals, start-up failures. */
class EventLoopRaftNodeTest {
    static final NodeId N1 = NodeId.of("n1");
    static final ClusterConfig ONE = ClusterConfig.ofVoters(Map.of(N1, URI.create("test://n1")));

    final ManualRuntime runtime = new ManualRuntime(42);
    final RecordingTransport transport = new RecordingTransport();
    final List<String> events = new ArrayList<>();
    final RaftEventListener listener = new RaftEventListener() {
        @Override
        public void onFailed(NodeId self, Throwable cause) {
            events.add("failed:" + cause.getMessage());
        }

        @Override
        public void onRoleChanged(NodeId self, Role from, Role to, long term) {
            events.add("role:" + from + "->" + to);
        }
    };

    RaftNode node(Storage storage) {
        return NodeFactory.create(new NodeSpec(ClusterId.of("c"), N1, ONE, RaftConfig.defaults(),
                new KvStateMachine(), transport, storage, runtime, listener, Set.of()));
    }

    static Throwable failure(CompletableFuture<?> f) {
        return assertThrows(ExecutionException.class, f::get).getCause();
    }

    @Test
    void propose_beforeStart_failsWithRaftStopped() {
        RaftNode node = node(MemStorage.create(N1));
        assertInstanceOf(RaftStoppedException.class, failure(node.propose(Bytes.ofUtf8("x"))));
        assertInstanceOf(RaftStoppedException.class, failure(node.read(Bytes.ofUtf8("get x"))));
        assertEquals(Role.FOLLOWER, node.status().role());
        assertEquals(ONE, node.status().config());
    }

    @Test
    void membershipAndTransfer_failUnsupportedNeverSucceedSilently() {
        RaftNode node = node(MemStorage.create(N1));
        for (CompletableFuture<?> f : List.of(node.addLearner(NodeId.of("n4"), URI.create("test://n4")),
                node.promoteToVoter(NodeId.of("n4")), node.removeMember(NodeId.of("n4")),
                node.transferLeadership(NodeId.of("n2")))) {
            Throwable t = failure(f);
            assertInstanceOf(UnsupportedOperationException.class, t);
            assertTrue(t.getMessage().contains("arrives with the issue"), t.getMessage());
        }
    }

    @Test
    void start_hardStateUnreadable_throwsNodeFailedAndNodeIsFailed() {
        IOException corrupt = new IOException("hard state checksum mismatch");
        RaftNode node = node(new UnreadableStateStorage(MemStorage.create(N1), corrupt));
        NodeFailedException e = assertThrows(NodeFailedException.class, node::start);
        assertSame(corrupt, e.getCause());
        assertEquals(Role.FAILED, node.status().role());
        assertTrue(node.status().failure().orElseThrow().contains("checksum mismatch"));
        runtime.runUntilIdle();
        assertEquals(List.of("role:FOLLOWER->FAILED", "failed:hard state checksum mismatch"), events);
        assertSame(e, assertThrows(NodeFailedException.class, node::start), "start stays failed");
        assertSame(e, failure(node.propose(Bytes.ofUtf8("x"))));
        assertSame(e, failure(node.read(Bytes.ofUtf8("get x"))));
        assertTrue(transport.handler == null, "the transport was never started");
    }

    @Test
    void close_beforeStart_stopsAndClosesBackendsIdempotently() {
        MemStorage storage = MemStorage.create(N1);
        RaftNode node = node(storage);
        node.close();
        node.close();
        assertEquals(Role.STOPPED, node.status().role());
        assertTrue(transport.closed);
        assertTrue(runtime.closed);
        assertThrows(IOException.class, () -> storage.log().lastIndex(), "storage closed");
        assertThrows(RaftStoppedException.class, node::start);
        assertInstanceOf(RaftStoppedException.class, failure(node.propose(Bytes.ofUtf8("x"))));
    }

    @Test
    void takeSnapshot_closedBeforeTheLoopRanIt_failsInsteadOfWaitingForever() {
        RaftNode node = node(MemStorage.create(N1));
        node.start();
        CompletableFuture<?> snapshot = node.takeSnapshot(); // posted to the loop, which has not run yet
        node.close();
        runtime.runUntilIdle();
        assertTrue(snapshot.isDone(), "the snapshot future completed");
        assertInstanceOf(RaftStoppedException.class, failure(snapshot));
    }

    @Test
    void propose_commandAboveMaxCommandBytes_isDropped() {
        RaftNode node = NodeFactory.create(new NodeSpec(ClusterId.of("c"), N1, ONE,
                RaftConfig.newBuilder().maxCommandBytes(4).build(), new KvStateMachine(), transport,
                MemStorage.create(N1), runtime, listener, Set.of()));
        node.start();
        Throwable t = failure(node.propose(Bytes.ofUtf8("12345")));
        assertInstanceOf(ProposalDroppedException.class, t);
        assertTrue(((ProposalDroppedException) t).isRetrySafe());
        node.close();
    }

    /** Storage whose hard state cannot be read (corrupt), everything else delegated. */
    static final class UnreadableStateStorage implements Storage {
        private final Storage delegate;
        private final IOException error;

        UnreadableStateStorage(Storage delegate, IOException error) {
            this.delegate = delegate;
            this.error = error;
        }

        @Override
        public LogStore log() {
            return delegate.log();
        }

        @Override
        public StateStore state() {
            return new StateStore() {
                @Override
                public HardState load() throws IOException {
                    throw error;
                }

                @Override
                public void save(HardState state) throws IOException {
                    delegate.state().save(state);
                }

                @Override
                public void close() {}
            };
        }

        @Override
        public SnapshotStore snapshots() {
            return delegate.snapshots();
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }
}
