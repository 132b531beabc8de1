package io.flotilla.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.flotilla.ClusterId;
import io.flotilla.LogEntry;
import io.flotilla.NodeId;
import io.flotilla.message.AppendEntriesRequest;
import io.flotilla.message.HeartbeatRequest;
import io.flotilla.message.InstallSnapshotRequest;
import io.flotilla.message.RaftMessage;
import io.flotilla.spi.Transport;
import io.flotilla.spi.TransportContext;
import io.flotilla.testkit.internal.Samples;
import io.flotilla.testkit.internal.TestData;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Transport} must pass. Extend it and implement {@link #listenAddress(NodeId)} and
 * {@link #create(URI, TransportContext)} (the same signature as
 * {@link io.flotilla.spi.TransportProvider#create}):
 *
 * <pre>{@code
 * class GrpcTransportTest extends TransportContract {
 *     @Override
 *     protected URI listenAddress(NodeId node) {
 *         // a port outside the ephemeral range: the restart test rebinds it (see TestPorts)
 *         return URI.create("grpc://127.0.0.1:" + TestPorts.freeStablePort());
 *     }
 *
 *     @Override
 *     protected Transport create(URI listenAddress, TransportContext context) {
 *         return new GrpcTransportProvider().create(listenAddress, context);
 *     }
 * }
 * }</pre>
 *
 * <p>Checks: every {@link RaftMessage} subclass arrives content-equal; a 4 MiB AppendEntries and 1 MiB
 * InstallSnapshot chunks arrive; three nodes talk pairwise; a peer that restarts at the same address is
 * reconnected to; messages to unknown peers, from unknown senders, from another cluster, or to a closed
 * transport are never delivered; {@code send} never throws (before start, after close, to unknown peers, from
 * many threads); {@code close} releases threads and the listen address.
 *
 * <p><b>Time:</b> real transports run on real time, so positive checks poll with a deadline
 * ({@link #deliveryTimeout()}) and never assert on a fixed sleep; a negative check ("never delivered") first
 * waits for a probe sent after the forbidden message on a permitted path, then a {@link #quietPeriod()}.
 * <b>Threading:</b> handlers run on the transport's threads; the suite only collects messages there.
 * <b>Failure:</b> an {@link AssertionError} naming the rule.
 */
public abstract class TransportContract {
    /** The cluster the suite's nodes belong to. */
    protected static final ClusterId CLUSTER = ClusterId.of("testkit-cluster");

    private final List<Transport> created = new ArrayList<>();

    /** Creates the suite. */
    protected TransportContract() {}

    /**
     * Returns the address a new node should listen on, for example {@code grpc://127.0.0.1:0} (port 0 picks a
     * free port) or {@code mem://<node>}.
     *
     * @param node the node that will listen
     * @return the listen address
     */
    protected abstract URI listenAddress(NodeId node);

    /**
     * Creates an unstarted transport, as {@link io.flotilla.spi.TransportProvider#create} does. Also called
     * with the {@link Transport#localAddress()} of a closed transport, to restart a node at the same address.
     *
     * @param listenAddress where to listen
     * @param context the cluster and node
     * @return a new transport
     */
    protected abstract Transport create(URI listenAddress, TransportContext context);

    /**
     * Returns how long positive checks wait for a delivery. Default 10 seconds.
     *
     * @return the deadline for deliveries
     */
    protected Duration deliveryTimeout() {
        return Duration.ofSeconds(10);
    }

    /**
     * Returns how long negative checks wait, after a probe sent later arrived, before concluding that a
     * forbidden message was not delivered. Default 250 ms.
     *
     * @return the quiet period
     */
    protected Duration quietPeriod() {
        return Duration.ofMillis(250);
    }

    /** Closes every transport the suite created. */
    @AfterEach
    public void closeCreatedTransports() {
        for (Transport t : created) {
            t.close();
        }
        created.clear();
    }

    /** A started transport and what it received. */
    private final class Node {
        final NodeId id;
        final Transport transport;
        final ConcurrentLinkedQueue<RaftMessage> inbox = new ConcurrentLinkedQueue<>();

        Node(NodeId id, Transport transport) {
            this.id = id;
            this.transport = transport;
        }

        URI address() {
            return transport.localAddress();
        }
    }

    private Node start(ClusterId cluster, String id) throws IOException {
        NodeId node = NodeId.of(id);
        return start(cluster, node, listenAddress(node));
    }

    private Node start(ClusterId cluster, NodeId node, URI address) throws IOException {
        Transport t = create(address, new TransportContext(cluster, node));
        created.add(t);
        Node n = new Node(node, t);
        t.start(n.inbox::add);
        return n;
    }

    /**
     * Starts a transport at a fixed address the way a restarting process would: retrying the bind for a bounded
     * time while the operating system still reports the port in use. Port release on {@code close()} is checked
     * separately ({@link #close_releasesThreadsAndTheListenAddress()}); this test is about reconnection.
     */
    private Node restartAt(ClusterId cluster, NodeId node, URI address) throws IOException {
        long deadline = System.nanoTime() + deliveryTimeout().toNanos();
        while (true) {
            try {
                return start(cluster, node, address);
            } catch (IOException bindFailed) {
                if (System.nanoTime() > deadline) {
                    throw bindFailed;
                }
                pause(50);
            }
        }
    }

    private static void connect(Node... nodes) {
        for (Node n : nodes) {
            Map<NodeId, URI> peers = new HashMap<>();
            for (Node other : nodes) {
                peers.put(other.id, other.address()); // the local node is included and must be ignored
            }
            n.transport.updatePeers(peers);
        }
    }

    private void await(Node n, String what, Predicate<List<RaftMessage>> done) {
        long deadline = System.nanoTime() + deliveryTimeout().toNanos();
        while (true) {
            List<RaftMessage> got = new ArrayList<>(n.inbox);
            if (done.test(got)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail(n.id + " did not receive " + what + " within " + deliveryTimeout().toMillis() + " ms; got "
                        + got.size() + " messages: " + summary(got));
            }
            pause(5);
        }
    }

    private static String summary(List<RaftMessage> ms) {
        return ms.stream().limit(20).map(m -> m.getClass().getSimpleName() + "(from " + m.from() + ", term "
                + m.term() + ")").collect(Collectors.joining(", "));
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Sends a probe from {@code via} to {@code target}, waits for it, then waits the quiet period. */
    private void probeThenQuiet(Node via, Node target, long probeContext) {
        via.transport.send(new HeartbeatRequest(via.id, target.id, 1, 0, probeContext));
        await(target, "probe " + probeContext + " from " + via.id, got -> got.stream().anyMatch(
                m -> m instanceof HeartbeatRequest && ((HeartbeatRequest) m).readContext() == probeContext));
        pause(quietPeriod().toMillis());
    }

    private static boolean contains(List<RaftMessage> got, RaftMessage m) {
        return got.contains(m);
    }

    /**
     * Every RaftMessage subclass is delivered content-equal, in both directions.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void everyMessageType_isDeliveredContentEqual() throws IOException {
        Node a = start(CLUSTER, "a");
        Node b = start(CLUSTER, "b");
        connect(a, b);
        List<RaftMessage> samples = Samples.all(a.id, b.id, 5);
        Set<Class<?>> covered = samples.stream().map(Object::getClass).collect(Collectors.toSet());
        assertEquals(Set.of(RaftMessage.class.getPermittedSubclasses()), covered,
                "the suite's samples must cover every RaftMessage subclass");
        samples.forEach(a.transport::send);
        await(b, "all " + samples.size() + " samples", got -> got.containsAll(samples));
        for (RaftMessage m : b.inbox) {
            assertTrue(samples.contains(m), "received a message that was never sent: " + m);
        }
        List<RaftMessage> back = Samples.all(b.id, a.id, 6);
        back.forEach(b.transport::send);
        await(a, "all samples in the other direction", got -> got.containsAll(back));
    }

    /**
     * A 4 MiB AppendEntries and 1 MiB InstallSnapshot chunks are delivered.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void largeAppendEntries_andSnapshotChunks_areDelivered() throws IOException {
        Node a = start(CLUSTER, "a");
        Node b = start(CLUSTER, "b");
        connect(a, b);
        List<LogEntry> entries = new ArrayList<>();
        for (long i = 1; i <= 64; i++) {
            entries.add(TestData.entry(i, 2, 64 * 1024)); // 4 MiB in all
        }
        AppendEntriesRequest big = new AppendEntriesRequest(a.id, b.id, 2, 0, 0, entries, 0);
        a.transport.send(big);
        await(b, "a 4 MiB AppendEntries", got -> contains(got, big));
        List<InstallSnapshotRequest> chunks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            InstallSnapshotRequest c = Samples.snapshotChunk(a.id, b.id, 2, (long) i << 20,
                    TestData.payload(i, 1 << 20), i == 3, i == 3 ? 0x1234 : 0);
            chunks.add(c);
            a.transport.send(c);
            await(b, "1 MiB snapshot chunk " + i, got -> contains(got, c)); // the core sends one chunk at a time
        }
    }

    /**
     * Three transports deliver to each other pairwise, each message to its addressee only.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void threeNodes_allPairsTalk() throws IOException {
        Node a = start(CLUSTER, "a");
        Node b = start(CLUSTER, "b");
        Node c = start(CLUSTER, "c");
        connect(a, b, c);
        List<Node> all = List.of(a, b, c);
        for (Node from : all) {
            for (Node to : all) {
                if (from != to) {
                    from.transport.send(new HeartbeatRequest(from.id, to.id, 3, 1, 1000 + all.indexOf(from)));
                }
            }
        }
        for (Node to : all) {
            await(to, "a heartbeat from each other node", got -> got.stream()
                    .filter(m -> m instanceof HeartbeatRequest).map(RaftMessage::from).distinct().count() == 2);
            for (RaftMessage m : to.inbox) {
                assertEquals(to.id, m.to(), "a message was delivered to the wrong node");
            }
        }
    }

    /**
     * After a peer restarts at the same address, later sends reach it, and it reaches back.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void peerRestart_atTheSameAddress_isReconnected() throws IOException {
        Node a = start(CLUSTER, "a");
        Node b = start(CLUSTER, "b");
        connect(a, b);
        a.transport.send(new HeartbeatRequest(a.id, b.id, 1, 0, 1));
        await(b, "a heartbeat before the restart", got -> !got.isEmpty());
        URI bAddress = b.address();
        b.transport.close();
        a.transport.send(new HeartbeatRequest(a.id, b.id, 1, 0, 2)); // to a dead peer: dropped, never thrown
        Node b2 = restartAt(CLUSTER, b.id, bAddress);
        b2.transport.updatePeers(Map.of(a.id, a.address()));
        long deadline = System.nanoTime() + deliveryTimeout().toNanos();
        long context = 100;
        while (b2.inbox.stream().noneMatch(m -> m instanceof HeartbeatRequest && m.from().equals(a.id))) {
            if (System.nanoTime() > deadline) {
                fail("after b restarted at " + bAddress + ", a's sends never reached it within "
                        + deliveryTimeout().toMillis() + " ms");
            }
            a.transport.send(new HeartbeatRequest(a.id, b.id, 1, 0, context++));
            pause(20);
        }
        b2.transport.send(new HeartbeatRequest(b.id, a.id, 1, 0, 7));
        await(a, "a message from the restarted b",
                got -> got.stream().anyMatch(m -> m instanceof HeartbeatRequest && m.from().equals(b.id)));
    }

    /**
     * Sending to a node without an address neither throws nor delivers.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void unknownPeer_sendDoesNotThrow_andDeliversNothing() throws IOException {
        Node a = start(CLUSTER, "a");
        Node b = start(CLUSTER, "b");
        Node c = start(CLUSTER, "c");
        connect(a, b);
        c.transport.updatePeers(Map.of(a.id, a.address()));
        a.transport.send(new HeartbeatRequest(a.id, c.id, 9, 0, 1)); // a has no address for c
        a.transport.send(new HeartbeatRequest(a.id, NodeId.of("ghost"), 9, 0, 1));
        probeThenQuiet(a, b, 42);
        assertEquals(List.of(), new ArrayList<>(c.inbox), "a message to a node without an address was delivered");
    }

    /**
     * A message from a sender that is not among the receiver's peers is dropped.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void unknownSender_isNotDelivered() throws IOException {
        Node a = start(CLUSTER, "a");
        Node b = start(CLUSTER, "b");
        Node c = start(CLUSTER, "c");
        connect(a, b, c);
        b.transport.updatePeers(Map.of(c.id, c.address())); // b forgets a (a was removed from the cluster)
        a.transport.send(new HeartbeatRequest(a.id, b.id, 9, 0, 1));
        probeThenQuiet(c, b, 43);
        assertTrue(b.inbox.stream().noneMatch(m -> m.from().equals(a.id)),
                "a message from a sender that is not among the peers was delivered");
    }

    /**
     * A transport never delivers a message from another cluster.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void foreignCluster_isNeverDelivered() throws IOException {
        Node a = start(CLUSTER, "a");
        Node b = start(CLUSTER, "b");
        Node intruder = start(ClusterId.of("other-cluster"), "x");
        connect(a, b);
        Map<NodeId, URI> bPeers = new HashMap<>(Map.of(a.id, a.address(), intruder.id, intruder.address()));
        b.transport.updatePeers(bPeers); // b even knows x: only the cluster id tells it apart
        intruder.transport.updatePeers(Map.of(b.id, b.address()));
        for (RaftMessage m : Samples.all(intruder.id, b.id, 999)) {
            intruder.transport.send(m);
        }
        probeThenQuiet(a, b, 44);
        assertTrue(b.inbox.stream().noneMatch(m -> m.term() == 999 || m.from().equals(intruder.id)),
                "a message from another cluster was delivered: " + summary(new ArrayList<>(b.inbox)));
    }

    /**
     * send never throws: before start, after close, to unknown peers or to itself.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void send_neverThrows_beforeStartAfterCloseOrToUnknownPeers() throws IOException {
        NodeId id = NodeId.of("s");
        Transport unstarted = create(listenAddress(id), new TransportContext(CLUSTER, id));
        created.add(unstarted);
        assertThrows(IllegalStateException.class, unstarted::localAddress, "localAddress before start");
        unstarted.send(new HeartbeatRequest(id, NodeId.of("b"), 1, 0, 0));
        unstarted.updatePeers(Map.of());
        unstarted.close();
        unstarted.send(new HeartbeatRequest(id, NodeId.of("b"), 1, 0, 0));
        Node a = start(CLUSTER, "a");
        a.transport.send(new HeartbeatRequest(a.id, NodeId.of("nobody"), 1, 0, 0));
        a.transport.send(new HeartbeatRequest(a.id, a.id, 1, 0, 0)); // to itself, not a peer
        a.transport.close();
        a.transport.close();
        a.transport.send(new HeartbeatRequest(a.id, NodeId.of("b"), 1, 0, 0));
    }

    /**
     * Concurrent sends and peer updates never throw, and only sent messages are delivered.
     *
     * @throws Exception if the backend fails unexpectedly
     */
    @Test
    public void concurrentSends_andPeerUpdates_neverThrow_andDeliverOnlyWhatWasSent() throws Exception {
        Node a = start(CLUSTER, "a");
        Node b = start(CLUSTER, "b");
        connect(a, b);
        List<Thread> threads = new ArrayList<>();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        for (int t = 0; t < 4; t++) {
            int base = t * 1000;
            threads.add(new Thread(() -> {
                try {
                    for (int i = 0; i < 200; i++) {
                        a.transport.send(new HeartbeatRequest(a.id, b.id, 1, 0, base + i));
                        if (i % 50 == 0) {
                            a.transport.updatePeers(Map.of(b.id, b.address()));
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(deliveryTimeout().toMillis());
        }
        assertEquals(List.of(), new ArrayList<>(errors), "send or updatePeers threw");
        await(b, "some of 800 concurrent heartbeats", got -> !got.isEmpty());
        for (RaftMessage m : b.inbox) {
            long ctx = ((HeartbeatRequest) m).readContext();
            assertTrue(ctx % 1000 < 200 && ctx / 1000 < 4, "received a heartbeat that was never sent: " + m);
        }
    }

    /**
     * A closed transport delivers nothing.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void closedTransport_receivesNothing() throws IOException {
        Node a = start(CLUSTER, "a");
        Node b = start(CLUSTER, "b");
        Node c = start(CLUSTER, "c");
        connect(a, b, c);
        b.transport.close();
        a.transport.send(new HeartbeatRequest(a.id, b.id, 1, 0, 1));
        probeThenQuiet(a, c, 45);
        assertEquals(List.of(), new ArrayList<>(b.inbox), "a closed transport still delivered");
    }

    /**
     * close releases the transport's threads and its listen address, which can be bound again.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void close_releasesThreadsAndTheListenAddress() throws IOException {
        int baseline = Thread.getAllStackTraces().size();
        Node a = start(CLUSTER, "a");
        Node b = start(CLUSTER, "b");
        Node c = start(CLUSTER, "c");
        connect(a, b, c);
        for (Node from : List.of(a, b, c)) {
            for (Node to : List.of(a, b, c)) {
                if (from != to) {
                    from.transport.send(new HeartbeatRequest(from.id, to.id, 1, 0, 1));
                }
            }
        }
        for (Node n : List.of(a, b, c)) {
            await(n, "heartbeats from both peers", got -> got.size() >= 2);
        }
        URI aAddress = a.address();
        a.transport.close();
        b.transport.close();
        c.transport.close();
        long deadline = System.nanoTime() + deliveryTimeout().toNanos();
        int live = Thread.getAllStackTraces().size();
        while (live > baseline + 2) {
            if (System.nanoTime() > deadline) {
                fail("after closing every transport, " + live + " threads are alive; " + baseline
                        + " were before they started: " + Thread.getAllStackTraces().keySet().stream()
                        .map(Thread::getName).sorted().collect(Collectors.joining(", ")));
            }
            pause(20);
            live = Thread.getAllStackTraces().size();
        }
        Node again = start(CLUSTER, a.id, aAddress); // the address (port) is free again
        assertEquals(aAddress, again.address());
    }
}
