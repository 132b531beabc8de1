package io.flotilla.sim.internal;

import io.flotilla.ClusterConfig;
import io.flotilla.ClusterId;
import io.flotilla.NodeId;
import io.flotilla.RaftConfig;
import io.flotilla.RaftEventListener;
import io.flotilla.RaftNode;
import io.flotilla.RaftStatus;
import io.flotilla.Role;
import io.flotilla.core.internal.loop.NodeFactory;
import io.flotilla.core.internal.loop.NodeSpec;
import io.flotilla.core.internal.protocol.SeededBug;
import io.flotilla.sim.StorageFactory;
import io.flotilla.spi.Storage;
import io.flotilla.testkit.mem.MemNetwork;
import io.flotilla.testkit.mem.MemStorage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A simulated cluster: real Flotilla nodes (built by {@link NodeFactory}) on {@link SimRuntime}s, a
 * {@link MemNetwork} whose deliveries are events, storage from a {@link StorageFactory}, and the observing
 * decorators that feed the {@link SafetyMonitor}. Offers the process faults: crash, restart, pause, resume,
 * storage failure.
 *
 * <p><b>Threading:</b> confined to the simulation thread.
 */
public final class SimCluster {
    private static final String INJECTED_FSYNC = "simulated fsync failure (EIO)";
    /** One member across incarnations. */
    public static final class Member {
        final NodeId id;
        RaftNode node;
        SimRuntime runtime;
        ObservedStorage storage;
        KvStateMachine stateMachine;
        io.flotilla.spi.Transport transport;
        int incarnation;
        double clockRate = 1.0;

        Member(NodeId id) {
            this.id = id;
        }

        /** @return whether an incarnation is running (not crashed) */
        public boolean isUp() {
            return node != null;
        }

        /** @return the member's id */
        public NodeId id() {
            return id;
        }
    }

    private final EventQueue queue;
    private final ClusterId clusterId = ClusterId.of("sim");
    private final ClusterConfig config;
    private final RaftConfig raftConfig;
    private final MemNetwork network;
    private final StorageFactory storageFactory;
    private final SafetyMonitor monitor;
    private final Counters counters;
    private final Set<SeededBug> bugs;
    private final SplittableRandom random;
    private final long fsyncMinNanos;
    private final long fsyncMaxNanos;
    private final Map<NodeId, Member> members = new LinkedHashMap<>();
    private final List<NodeId> ids;

    /**
     * Creates the cluster (no node started).
     *
     * @param queue the event queue
     * @param voters the members
     * @param raftConfig protocol tuning
     * @param storageFactory storage
     * @param bugs seeded bugs
     * @param random the cluster's generator (split per node and for the network)
     * @param counters counters
     */
    public SimCluster(EventQueue queue, List<NodeId> voters, RaftConfig raftConfig, StorageFactory storageFactory,
            Set<SeededBug> bugs, SplittableRandom random, Counters counters) {
        this.queue = queue;
        this.ids = List.copyOf(voters);
        this.raftConfig = raftConfig;
        this.storageFactory = storageFactory;
        this.bugs = Set.copyOf(bugs);
        this.random = random;
        this.counters = counters;
        this.monitor = new SafetyMonitor(queue, ids);
        Map<NodeId, URI> addresses = new TreeMap<>();
        for (NodeId id : ids) {
            addresses.put(id, URI.create("mem://" + id.value()));
            members.put(id, new Member(id));
        }
        this.config = ClusterConfig.ofVoters(addresses);
        this.network = MemNetwork.create((delivery, delay) -> queue.schedule(delay, delivery), random.split());
        this.fsyncMinNanos = 20_000 + random.nextLong(200_000);
        this.fsyncMaxNanos = fsyncMinNanos + random.nextLong(random.nextBoolean() ? 500_000 : 8_000_000);
    }

    /** @return the network, for network faults */
    public MemNetwork network() {
        return network;
    }

    /** @return the safety monitor */
    public SafetyMonitor monitor() {
        return monitor;
    }

    /** @return the member ids, in order */
    public List<NodeId> ids() {
        return ids;
    }

    /** @return the quorum size */
    public int quorum() {
        return ids.size() / 2 + 1;
    }

    /**
     * @param id a member
     * @return the member
     */
    public Member member(NodeId id) {
        return members.get(id);
    }

    /**
     * @param id a member
     * @return its running node, if up
     */
    public Optional<RaftNode> node(NodeId id) {
        return Optional.ofNullable(members.get(id).node);
    }

    /**
     * Sets a member's clock rate for its next incarnation and now.
     *
     * @param id the member
     * @param rate the rate (1.0 exact)
     */
    public void setClockRate(NodeId id, double rate) {
        members.get(id).clockRate = rate;
    }

    /** Starts every member. */
    public void startAll() {
        for (NodeId id : ids) {
            start(id);
        }
    }

    /**
     * Starts a member's next incarnation (its storage reopened after a crash).
     *
     * @param id the member
     */
    public void start(NodeId id) {
        Member m = members.get(id);
        if (m.node != null) {
            return;
        }
        try {
            Storage raw = m.storage == null ? storageFactory.create(id)
                    : storageFactory.reopen(id, m.storage.delegate());
            m.storage = new ObservedStorage(raw, id, monitor, counters);
        } catch (IOException | RuntimeException e) {
            monitor.fail("storage reopens after a crash", id + ": " + e);
            return;
        }
        m.incarnation++;
        m.stateMachine = new KvStateMachine();
        m.runtime = new SimRuntime(queue, id, random.split(), m.clockRate, fsyncMinNanos, fsyncMaxNanos,
                (node, where, error) -> monitor.fail("no uncaught exceptions", node + " " + where + " task threw "
                        + stackTrace(error)));
        m.transport = network.transport(clusterId, id);
        RaftEventListener listener = new RaftEventListener() {
            @Override
            public void onRoleChanged(NodeId self, Role from, Role to, long term) {
                monitor.onRoleChanged(self, to, term);
            }
        };
        NodeSpec spec = new NodeSpec(clusterId, id, config, raftConfig,
                new ObservedStateMachine(m.stateMachine, id, monitor, counters),
                new ObservedTransport(m.transport, monitor, counters), m.storage, m.runtime, listener, bugs);
        monitor.onStart(id);
        try {
            m.node = NodeFactory.create(spec);
            m.node.start();
        } catch (RuntimeException e) {
            if (injected(e)) {
                // A storage fault the nemesis armed hit a write of the recovery itself (the log reset after a
                // snapshot install that a crash interrupted, §7): the node is FAILED, as it would be on any write,
                // and is restarted later like any failed node.
                return;
            }
            monitor.fail("node starts", id + " incarnation " + m.incarnation + ": " + stackTrace(e));
        }
    }

    /**
     * Crashes a member: its pending tasks (including un-run storage writes) are dropped and the node object is
     * discarded without a clean shutdown.
     *
     * @param id the member
     */
    public void crash(NodeId id) {
        Member m = members.get(id);
        if (m.node == null) {
            return;
        }
        m.runtime.crash();
        m.transport.close(); // the network forgets the process's endpoint, as a dead socket
        m.node = null;
        counters.crashes++;
    }

    /**
     * Pauses a member (a stopped process).
     *
     * @param id the member
     */
    public void pause(NodeId id) {
        Member m = members.get(id);
        if (m.node != null) {
            m.runtime.pause();
            counters.pauses++;
        }
    }

    /**
     * Resumes a paused member.
     *
     * @param id the member
     */
    public void resume(NodeId id) {
        Member m = members.get(id);
        if (m.node != null) {
            m.runtime.resume();
        }
    }

    /**
     * Makes the member's next storage write fail, if its storage supports failure injection.
     *
     * @param id the member
     * @return whether a failure was armed
     */
    private static boolean injected(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (String.valueOf(c.getMessage()).contains(INJECTED_FSYNC)) {
                return true;
            }
        }
        return false;
    }

    public boolean failNextWrite(NodeId id) {
        Member m = members.get(id);
        if (m.node != null && m.storage.delegate() instanceof MemStorage mem) {
            mem.failNextWrite(new IOException(INJECTED_FSYNC));
            return true;
        }
        return false;
    }

    /** Checks every running node's status; called after every event. */
    public void checkStatuses() {
        for (Member m : members.values()) {
            if (m.node != null) {
                RaftStatus s = m.node.status();
                monitor.onStatus(s);
                if (s.role() == io.flotilla.Role.FAILED && !storageFault(s.failure().orElse(""))) {
                    // Fail-stop is the right answer to a storage fault, never to anything else: an internal error
                    // (a broken invariant, an unexpected state) that stops a node is a bug even if safety holds.
                    monitor.fail("nodes fail only on storage faults", s.self() + " failed: " + s.failure().orElse(""));
                }
            }
        }
    }

    private static boolean storageFault(String failure) {
        return failure.contains("IOException") || failure.contains("StoreFailedException")
                || failure.contains("StorageFullException") || failure.contains(INJECTED_FSYNC);
    }

    /**
     * @return statuses of the running nodes
     */
    public List<RaftStatus> statuses() {
        List<RaftStatus> out = new ArrayList<>();
        for (Member m : members.values()) {
            if (m.node != null) {
                out.add(m.node.status());
            }
        }
        return out;
    }

    /** @return the leader of the highest term among running, unpaused nodes, if any */
    public Optional<NodeId> leader() {
        RaftStatus best = null;
        for (Member m : members.values()) {
            if (m.node != null && !m.runtime.isPaused()) {
                RaftStatus s = m.node.status();
                if (s.role() == Role.LEADER && (best == null || s.term() > best.term())) {
                    best = s;
                }
            }
        }
        return best == null ? Optional.empty() : Optional.of(best.self());
    }

    /**
     * @param id a member
     * @return the digest of its state machine, if up
     */
    public long digest(NodeId id) {
        Member m = members.get(id);
        return m.stateMachine == null ? 0 : m.stateMachine.digest();
    }

    /** Stops every node without a clean shutdown (end of run). */
    public void discard() {
        for (NodeId id : ids) {
            Member m = members.get(id);
            if (m.node != null) {
                m.runtime.crash();
                m.transport.close();
                m.node = null;
            }
        }
    }

    static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        String s = w.toString();
        return s.length() > 3000 ? s.substring(0, 3000) + "..." : s;
    }
}
