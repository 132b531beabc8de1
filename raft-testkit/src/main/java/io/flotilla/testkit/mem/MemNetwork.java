package io.flotilla.testkit.mem;

import io.flotilla.ClusterId;
import io.flotilla.NodeId;
import io.flotilla.message.RaftMessage;
import io.flotilla.spi.Transport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * An in-memory network of {@link Transport}s, addressed {@code mem://<node>}, with fault hooks per directed
 * link: loss, duplication, delay and reordering ({@link LinkFaults}), symmetric partitions, one-way blocks and
 * isolation.
 *
 * <h2>Time and determinism</h2>
 * {@link #create()} delivers on real time, from one daemon dispatcher thread. {@link #create(Dispatcher,
 * RandomGenerator)} hands every delivery to the given {@link Dispatcher} instead, such as a simulator's
 * virtual-time event queue, and draws every random decision (drop, duplicate, delay) from the given generator,
 * in the order of {@code send} calls: a single-threaded simulation is then fully deterministic.
 *
 * <h2>Semantics</h2>
 * Partitions, blocks and link faults are applied when a message is sent; a message already in flight is still
 * delivered. At delivery, the receiving transport applies the {@link Transport} contract: it must be started and
 * not closed, of the same {@link ClusterId}, the addressee of the message, and know the sender among its peers;
 * anything else is dropped and counted in {@link #dropped()}. A node may bind its address once at a time, like
 * a port: a restarted node gets a new transport at the same address after the old one is closed. At most
 * 65,536 messages may be in flight per network; beyond that, sends are dropped (bounded memory).
 *
 * <h2>Threading</h2>
 * Every method is thread-safe. Handlers are called from the dispatcher thread (real time) or from whatever
 * thread runs the {@link Dispatcher}'s tasks.
 *
 * <pre>{@code
 * try (MemNetwork net = MemNetwork.create()) {
 *     Transport a = net.transport(ClusterId.of("c1"), NodeId.of("a"));
 *     net.setLinkFaults(NodeId.of("a"), NodeId.of("b"), LinkFaults.dropping(0.1));
 *     net.partition(Set.of(NodeId.of("a")), Set.of(NodeId.of("b"), NodeId.of("c")));
 *     net.heal();
 * }
 * }</pre>
 */
public final class MemNetwork implements AutoCloseable {

    /**
     * Runs deliveries later. A simulator implements it with its virtual-time event queue.
     *
     * <p>Called from any thread that sends; must be thread-safe if sends come from several threads.
     */
    @FunctionalInterface
    public interface Dispatcher {
        /**
         * Schedules a delivery.
         *
         * @param delivery the task that delivers one message; never throws
         * @param delayNanos how long after now to run it, at least 0
         */
        void schedule(Runnable delivery, long delayNanos);
    }

    private static final int MAX_IN_FLIGHT = 1 << 16;
    private static final MemNetwork SHARED = new MemNetwork(null, new SplittableRandom(), true);

    private final Dispatcher dispatcher;
    private final ScheduledThreadPoolExecutor executor; // null with a custom dispatcher
    private final boolean shared;
    private final ConcurrentHashMap<String, MemTransport> bound = new ConcurrentHashMap<>();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean closed;

    private final Object lock = new Object();
    // Guarded by lock: the random generator and every fault setting.
    private final RandomGenerator random;
    private final Map<List<NodeId>, LinkFaults> linkFaults = new HashMap<>();
    private LinkFaults defaultFaults = LinkFaults.NONE;
    private List<Set<NodeId>> partition; // null when not partitioned
    private final Set<NodeId> isolated = new HashSet<>();
    private final Set<List<NodeId>> blocked = new HashSet<>();

    private MemNetwork(Dispatcher dispatcher, RandomGenerator random, boolean shared) {
        this.random = Objects.requireNonNull(random, "random");
        this.shared = shared;
        if (dispatcher == null) {
            this.executor = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "flotilla-memnet-dispatcher");
                t.setDaemon(true);
                return t;
            });
            this.executor.setRemoveOnCancelPolicy(true);
            this.dispatcher = (task, delay) -> executor.schedule(task, delay, TimeUnit.NANOSECONDS);
        } else {
            this.executor = null;
            this.dispatcher = dispatcher;
        }
    }

    /**
     * Returns a network on real time, with one daemon dispatcher thread that {@link #close()} stops.
     *
     * @return a new network
     */
    public static MemNetwork create() {
        return new MemNetwork(null, new SplittableRandom(), false);
    }

    /**
     * Returns a network whose deliveries run on {@code dispatcher} and whose random decisions come from
     * {@code random} only. It starts no thread.
     *
     * @param dispatcher runs deliveries, e.g. on virtual time
     * @param random the only source of randomness; used under the network's lock
     * @return a new network
     */
    public static MemNetwork create(Dispatcher dispatcher, RandomGenerator random) {
        return new MemNetwork(Objects.requireNonNull(dispatcher, "dispatcher"), random, false);
    }

    /**
     * Returns the process-wide network that transports created from {@code mem://} URIs (through
     * {@link io.flotilla.spi.TransportProvider}) live on. It runs on real time; {@link #close()} on it only
     * closes its transports and leaves it usable.
     *
     * @return the shared network
     */
    public static MemNetwork shared() {
        return SHARED;
    }

    /**
     * Returns a new, unstarted transport for a node. Its {@link Transport#localAddress()} is
     * {@code mem://<self>}; starting it fails while another started, unclosed transport holds that address.
     *
     * @param clusterId the cluster it serves; messages from other clusters are dropped
     * @param self the local node
     * @return the transport
     * @throws IllegalStateException if the network is closed
     */
    public Transport transport(ClusterId clusterId, NodeId self) {
        if (closed) {
            throw new IllegalStateException("network is closed");
        }
        return new MemTransport(this, Objects.requireNonNull(clusterId, "clusterId"),
                Objects.requireNonNull(self, "self"));
    }

    /**
     * Sets the faults of one directed link, replacing the default for it.
     *
     * @param from the sender
     * @param to the addressee
     * @param faults the faults; {@link LinkFaults#NONE} for a perfect link
     */
    public void setLinkFaults(NodeId from, NodeId to, LinkFaults faults) {
        Objects.requireNonNull(faults, "faults");
        synchronized (lock) {
            linkFaults.put(List.of(from, to), faults);
        }
    }

    /**
     * Sets the faults of every link that has no faults of its own.
     *
     * @param faults the faults
     */
    public void setDefaultFaults(LinkFaults faults) {
        Objects.requireNonNull(faults, "faults");
        synchronized (lock) {
            defaultFaults = faults;
        }
    }

    /**
     * Splits the network: only nodes in the same group can talk. A node in no group talks to nobody. Replaces
     * an earlier partition; {@link #heal()} ends it.
     *
     * @param groups disjoint sets of nodes
     */
    @SafeVarargs
    public final void partition(Set<NodeId>... groups) {
        List<Set<NodeId>> copy = new ArrayList<>();
        for (Set<NodeId> g : groups) {
            copy.add(Set.copyOf(g));
        }
        synchronized (lock) {
            partition = List.copyOf(copy);
        }
    }

    /**
     * Drops every message from {@code from} to {@code to}; the other direction is unaffected.
     *
     * @param from the sender
     * @param to the addressee
     */
    public void blockOneWay(NodeId from, NodeId to) {
        synchronized (lock) {
            blocked.add(List.of(from, to));
        }
    }

    /**
     * Cuts a node off from every other node, in both directions, until {@link #heal()}.
     *
     * @param node the node
     */
    public void isolate(NodeId node) {
        synchronized (lock) {
            isolated.add(Objects.requireNonNull(node, "node"));
        }
    }

    /** Ends partitions, one-way blocks and isolation. Link faults stay. */
    public void heal() {
        synchronized (lock) {
            partition = null;
            isolated.clear();
            blocked.clear();
        }
    }

    /**
     * Returns how many messages were handed to a handler.
     *
     * @return the count of deliveries (a duplicate counts twice)
     */
    public long delivered() {
        return delivered.get();
    }

    /**
     * Returns how many messages were dropped: by faults, partitions, blocks, the in-flight bound, or the
     * receiver's checks (closed, unknown, other cluster, unknown sender).
     *
     * @return the count of drops
     */
    public long dropped() {
        return dropped.get();
    }

    /**
     * Closes every transport on the network and, for a real-time network, stops its dispatcher thread and
     * discards messages in flight. Idempotent. On {@link #shared()} only the transports are closed.
     */
    @Override
    public void close() {
        for (MemTransport t : new ArrayList<>(bound.values())) {
            t.close();
        }
        if (shared) {
            return;
        }
        closed = true;
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- used by MemTransport ----

    void bind(String address, MemTransport transport) throws IOException {
        if (closed) {
            throw new IOException("network is closed");
        }
        MemTransport previous = bound.putIfAbsent(address, transport);
        if (previous != null && previous != transport) {
            throw new IOException("address mem://" + address + " is already in use by a started transport");
        }
    }

    void unbind(String address, MemTransport transport) {
        bound.remove(address, transport);
    }

    void countDrop() {
        dropped.incrementAndGet();
    }

    /** Applies faults and schedules delivery of {@code message} to the transport bound at {@code address}. */
    void route(ClusterId clusterId, NodeId from, String address, RaftMessage message) {
        if (closed) {
            dropped.incrementAndGet();
            return;
        }
        NodeId to = message.to();
        int copies;
        long delay1;
        long delay2 = 0;
        synchronized (lock) {
            if (!canTalk(from, to)) {
                dropped.incrementAndGet();
                return;
            }
            LinkFaults f = linkFaults.getOrDefault(List.of(from, to), defaultFaults);
            if (f.dropProbability() > 0 && random.nextDouble() < f.dropProbability()) {
                dropped.incrementAndGet();
                return;
            }
            copies = f.duplicateProbability() > 0 && random.nextDouble() < f.duplicateProbability() ? 2 : 1;
            delay1 = drawDelay(f);
            if (copies == 2) {
                delay2 = drawDelay(f);
            }
        }
        for (int i = 0; i < copies; i++) {
            if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
                inFlight.decrementAndGet();
                dropped.incrementAndGet();
                continue;
            }
            try {
                dispatcher.schedule(() -> deliver(clusterId, from, address, message), i == 0 ? delay1 : delay2);
            } catch (RuntimeException e) { // e.g. RejectedExecutionException after close
                inFlight.decrementAndGet();
                dropped.incrementAndGet();
            }
        }
    }

    private void deliver(ClusterId clusterId, NodeId from, String address, RaftMessage message) {
        inFlight.decrementAndGet();
        MemTransport target = bound.get(address);
        if (target == null || !target.offer(clusterId, from, message)) {
            dropped.incrementAndGet();
        } else {
            delivered.incrementAndGet();
        }
    }

    private long drawDelay(LinkFaults f) {
        long min = f.minDelayNanos();
        long max = f.maxDelayNanos();
        return max == min ? min : min + random.nextLong(max - min + 1);
    }

    private boolean canTalk(NodeId from, NodeId to) {
        if (isolated.contains(from) || isolated.contains(to) || blocked.contains(List.of(from, to))) {
            return false;
        }
        if (partition == null) {
            return true;
        }
        for (Set<NodeId> group : partition) {
            if (group.contains(from)) {
                return group.contains(to);
            }
        }
        return false;
    }
}
