package io.flotilla.testkit.mem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.ClusterId;
import io.flotilla.NodeId;
import io.flotilla.message.HeartbeatRequest;
import io.flotilla.message.RaftMessage;
import io.flotilla.spi.Transport;
import io.flotilla.spi.TransportContext;
import io.flotilla.testkit.internal.MemTransportProvider;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** MemNetwork's fault hooks, on a virtual-time dispatcher: no threads, no sleeps, fully deterministic. */
class MemNetworkTest {
    private static final ClusterId C = ClusterId.of("c");
    private static final NodeId A = NodeId.of("a");
    private static final NodeId B = NodeId.of("b");
    private static final NodeId D = NodeId.of("d");

    /** A minimal virtual-time event queue, as a simulator would have. */
    private static final class VirtualTime implements MemNetwork.Dispatcher {
        private record Event(long at, long seq, Runnable task) {}

        private final PriorityQueue<Event> queue = new PriorityQueue<>(
                (x, y) -> x.at != y.at ? Long.compare(x.at, y.at) : Long.compare(x.seq, y.seq));
        private long now;
        private long seq;

        @Override
        public void schedule(Runnable delivery, long delayNanos) {
            queue.add(new Event(now + delayNanos, seq++, delivery));
        }

        void runAll() {
            for (Event e; (e = queue.poll()) != null; ) {
                now = e.at;
                e.task.run();
            }
        }
    }

    private final VirtualTime time = new VirtualTime();
    private final Map<NodeId, List<RaftMessage>> inboxes = new HashMap<>();

    private MemNetwork network(long seed, NodeId... nodes) throws IOException {
        MemNetwork net = MemNetwork.create(time, new SplittableRandom(seed));
        List<Transport> ts = new ArrayList<>();
        for (NodeId n : nodes) {
            Transport t = net.transport(C, n);
            List<RaftMessage> inbox = new ArrayList<>();
            inboxes.put(n, inbox);
            t.start(inbox::add);
            ts.add(t);
        }
        Map<NodeId, URI> peers = new HashMap<>();
        for (NodeId n : nodes) {
            peers.put(n, URI.create("mem://" + n.value()));
        }
        ts.forEach(t -> t.updatePeers(peers));
        transports = ts;
        return net;
    }

    private List<Transport> transports;

    private void send(int fromIdx, NodeId to, long ctx) {
        Transport t = transports.get(fromIdx);
        NodeId from = NodeId.of(t.localAddress().getAuthority());
        t.send(new HeartbeatRequest(from, to, 1, 0, ctx));
    }

    private List<Long> contexts(NodeId n) {
        List<Long> out = new ArrayList<>();
        for (RaftMessage m : inboxes.get(n)) {
            out.add(((HeartbeatRequest) m).readContext());
        }
        return out;
    }

    @Test
    void perfectLinks_deliverInOrder() throws IOException {
        MemNetwork net = network(1, A, B);
        for (int i = 0; i < 10; i++) {
            send(0, B, i);
        }
        time.runAll();
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), contexts(B));
        assertEquals(10, net.delivered());
        assertEquals(0, net.dropped());
    }

    @Test
    void linkFaults_dropDuplicateAndReorder_deterministicallyPerSeed() throws IOException {
        List<List<Long>> runs = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            inboxes.clear();
            MemNetwork net = network(42, A, B);
            net.setLinkFaults(A, B, new LinkFaults(0.2, 0.2, 0, 5_000_000));
            for (int i = 0; i < 500; i++) {
                send(0, B, i);
            }
            time.runAll();
            runs.add(contexts(B));
            assertTrue(net.dropped() > 50 && net.dropped() < 150, "about 20% dropped: " + net.dropped());
        }
        assertEquals(runs.get(0), runs.get(1), "same seed, same deliveries in the same order");
        List<Long> got = runs.get(0);
        assertTrue(got.size() != got.stream().distinct().count(), "some duplicates");
        List<Long> sorted = new ArrayList<>(got);
        sorted.sort(null);
        assertTrue(!sorted.equals(got), "some reordering");
    }

    @Test
    void defaultFaults_applyToLinksWithoutTheirOwn() throws IOException {
        MemNetwork net = network(3, A, B, D);
        net.setDefaultFaults(LinkFaults.dropping(1.0));
        net.setLinkFaults(A, D, LinkFaults.NONE);
        send(0, B, 1);
        send(0, D, 2);
        time.runAll();
        assertEquals(List.of(), contexts(B));
        assertEquals(List.of(2L), contexts(D));
    }

    @Test
    void partition_isolate_blockOneWay_andHeal() throws IOException {
        MemNetwork net = network(4, A, B, D);
        net.partition(java.util.Set.of(A, B), java.util.Set.of(D));
        send(0, B, 1);
        send(0, D, 2);
        send(2, A, 3);
        time.runAll();
        assertEquals(List.of(1L), contexts(B));
        assertEquals(List.of(), contexts(D));
        assertEquals(List.of(), contexts(A));
        net.heal();
        net.blockOneWay(A, B);
        send(0, B, 4);
        send(1, A, 5);
        time.runAll();
        assertEquals(List.of(1L), contexts(B), "a->b blocked");
        assertEquals(List.of(5L), contexts(A), "b->a open");
        net.heal();
        net.isolate(D);
        send(0, D, 6);
        send(2, B, 7);
        send(0, B, 8);
        time.runAll();
        assertEquals(List.of(), contexts(D));
        assertEquals(List.of(1L, 8L), contexts(B));
        net.heal();
        send(2, B, 9);
        time.runAll();
        assertEquals(List.of(1L, 8L, 9L), contexts(B));
        assertEquals(4, net.delivered());
    }

    @Test
    void inFlightMessages_reachARestartedNodeOnlyIfItIsStarted() throws IOException {
        MemNetwork net = network(5, A, B);
        send(0, B, 1);
        transports.get(1).close();
        time.runAll();
        assertEquals(List.of(), contexts(B));
        assertEquals(1, net.dropped());
        Transport b2 = net.transport(C, B);
        List<RaftMessage> inbox = new ArrayList<>();
        b2.start(inbox::add);
        b2.updatePeers(Map.of(A, URI.create("mem://a")));
        send(0, B, 2);
        time.runAll();
        assertEquals(1, inbox.size());
    }

    @Test
    void addressInUse_untilTheHolderCloses() throws IOException {
        MemNetwork net = network(6, A);
        Transport second = net.transport(C, A);
        assertThrows(IOException.class, () -> second.start(m -> { }));
        transports.get(0).close();
        net.transport(C, A).start(m -> { });
    }

    @Test
    void linkFaults_validateTheirArguments() {
        assertThrows(IllegalArgumentException.class, () -> new LinkFaults(1.5, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new LinkFaults(0, Double.NaN, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new LinkFaults(0, 0, 5, 4));
        assertThrows(IllegalArgumentException.class, () -> new LinkFaults(0, 0, -1, 4));
    }

    @Test
    void provider_createsTransportsOnTheSharedNetwork_forTheLocalNodeOnly() throws IOException {
        MemTransportProvider p = new MemTransportProvider();
        assertTrue(p.supports(URI.create("mem://n1")));
        assertThrows(IllegalArgumentException.class,
                () -> p.create(URI.create("mem://n2"), new TransportContext(C, NodeId.of("n1"))));
        Transport t = p.create(URI.create("mem://prov-n1"), new TransportContext(C, NodeId.of("prov-n1")));
        try {
            t.start(m -> { });
            assertEquals(URI.create("mem://prov-n1"), t.localAddress());
        } finally {
            t.close();
        }
        MemNetwork.shared().close();
        Transport again = MemNetwork.shared().transport(C, NodeId.of("prov-n1"));
        again.start(m -> { });
        again.close();
    }
}
