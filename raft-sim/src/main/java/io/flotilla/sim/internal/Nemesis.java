package io.flotilla.sim.internal;

import io.flotilla.NodeId;
import io.flotilla.sim.FaultProfile;
import io.flotilla.testkit.mem.LinkFaults;
import io.flotilla.testkit.mem.MemNetwork;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Injects the faults of a {@link FaultProfile} during the chaos phase, then heals everything: links back to a
 * small benign latency, partitions ended, paused nodes resumed, crashed and failed nodes restarted.
 *
 * <p>Network faults (partitions, one-way blocks, leader isolation) replace each other; each lasts a random
 * time. At most a minority of nodes is crashed at once, so the workload keeps making progress and a
 * committed entry always has a live copy; pauses and network faults are not limited (safety must hold anyway).
 *
 * <p><b>Threading:</b> confined to the simulation thread.
 */
public final class Nemesis {
    /** Benign latency of healthy links: 50 µs to 1 ms, which reorders only slightly. */
    static final LinkFaults HEALTHY = new LinkFaults(0, 0, 50_000L, 1_000_000L);

    private final EventQueue queue;
    private final SimCluster cluster;
    private final FaultProfile profile;
    private final SplittableRandom random;
    private final Counters counters;
    private final long electionNanos;
    private final Set<NodeId> down = new TreeSet<>();
    private final Set<NodeId> paused = new TreeSet<>();
    private long networkGeneration;
    private boolean healed;

    /**
     * Creates the nemesis.
     *
     * @param queue the event queue
     * @param cluster the cluster
     * @param profile the faults to inject
     * @param random the nemesis' generator
     * @param counters counters
     * @param electionNanos the election timeout, to scale pauses and outages
     */
    public Nemesis(EventQueue queue, SimCluster cluster, FaultProfile profile, SplittableRandom random,
            Counters counters, long electionNanos) {
        this.queue = queue;
        this.cluster = cluster;
        this.profile = profile;
        this.random = random;
        this.counters = counters;
        this.electionNanos = electionNanos;
    }

    /** Configures link faults and clock skew and schedules the first action. Call before starting nodes. */
    public void start() {
        LinkFaults links = new LinkFaults(profile.dropProbability(), profile.duplicateProbability(),
                HEALTHY.minDelayNanos(), Math.max(HEALTHY.maxDelayNanos(), profile.maxDelayNanos()));
        cluster.network().setDefaultFaults(links);
        if (!links.equals(HEALTHY)) {
            counters.faults++;
        }
        if (profile.clockSkew()) {
            for (NodeId id : cluster.ids()) {
                cluster.setClockRate(id, 1.0 + (random.nextDouble() * 0.1 - 0.05));
            }
            counters.faults++;
        }
        scheduleNext();
    }

    private void scheduleNext() {
        long mean = profile.meanFaultIntervalNanos();
        queue.schedule(mean / 2 + random.nextLong(mean), this::act);
    }

    private void act() {
        if (healed) {
            return;
        }
        List<Runnable> actions = new ArrayList<>();
        if (profile.partitions()) {
            actions.add(this::partition);
        }
        if (profile.asymmetric()) {
            actions.add(this::oneWay);
        }
        if (profile.leaderIsolation()) {
            actions.add(this::isolateLeader);
        }
        if (profile.crashes()) {
            actions.add(this::crash);
        }
        if (profile.pauses()) {
            actions.add(this::pause);
        }
        if (profile.storageFailures()) {
            actions.add(this::storageFailure);
        }
        if (!actions.isEmpty()) {
            actions.get(random.nextInt(actions.size())).run();
        }
        scheduleNext();
    }

    private void partition() {
        List<NodeId> ids = new ArrayList<>(cluster.ids());
        shuffle(ids);
        int cut = 1 + random.nextInt(ids.size() - 1);
        Set<NodeId> a = new HashSet<>(ids.subList(0, cut));
        Set<NodeId> b = new HashSet<>(ids.subList(cut, ids.size()));
        MemNetwork net = cluster.network();
        net.heal();
        net.partition(a, b);
        counters.partitions++;
        networkFaultFor(electionNanos / 2 + random.nextLong(electionNanos * 6));
    }

    private void oneWay() {
        MemNetwork net = cluster.network();
        net.heal();
        int links = 1 + random.nextInt(cluster.ids().size());
        for (int i = 0; i < links; i++) {
            NodeId from = pick();
            NodeId to = pick();
            if (!from.equals(to)) {
                net.blockOneWay(from, to);
            }
        }
        counters.partitions++;
        networkFaultFor(electionNanos / 2 + random.nextLong(electionNanos * 6));
    }

    private void isolateLeader() {
        Optional<NodeId> leader = cluster.leader();
        MemNetwork net = cluster.network();
        net.heal();
        net.isolate(leader.orElseGet(this::pick));
        counters.partitions++;
        networkFaultFor(electionNanos / 2 + random.nextLong(electionNanos * 6));
    }

    private void networkFaultFor(long nanos) {
        counters.faults++;
        long gen = ++networkGeneration;
        queue.schedule(nanos, () -> {
            if (gen == networkGeneration && !healed) {
                cluster.network().heal();
            }
        });
    }

    private void crash() {
        int maxDown = (cluster.ids().size() - 1) / 2;
        if (down.size() >= maxDown) {
            return;
        }
        NodeId victim = random.nextBoolean() ? cluster.leader().orElseGet(this::pick) : pick();
        if (down.contains(victim)) {
            return;
        }
        cluster.crash(victim);
        down.add(victim);
        paused.remove(victim);
        counters.faults++;
        queue.schedule(random.nextLong(electionNanos * 8), () -> restart(victim));
    }

    private void restart(NodeId id) {
        if (down.remove(id)) {
            cluster.start(id);
            counters.restarts++;
        }
    }

    private void pause() {
        NodeId victim = random.nextBoolean() ? cluster.leader().orElseGet(this::pick) : pick();
        if (paused.contains(victim) || down.contains(victim)) {
            return;
        }
        cluster.pause(victim);
        paused.add(victim);
        counters.faults++;
        queue.schedule(electionNanos / 2 + random.nextLong(electionNanos * 5), () -> {
            if (paused.remove(victim)) {
                cluster.resume(victim);
            }
        });
    }

    private void storageFailure() {
        int maxDown = (cluster.ids().size() - 1) / 2;
        NodeId victim = pick();
        if (down.size() >= maxDown || down.contains(victim) || !cluster.failNextWrite(victim)) {
            return;
        }
        counters.faults++;
        // The node fail-stops at its next write; a supervisor restarts it later (crash + restart).
        down.add(victim);
        queue.schedule(electionNanos + random.nextLong(electionNanos * 8), () -> {
            if (!healed && down.contains(victim)) { // healAll restarts it otherwise
                cluster.crash(victim);
                restart(victim);
            }
        });
    }

    /** Ends the chaos phase: heals links, resumes and restarts every node. */
    public void healAll() {
        healed = true;
        MemNetwork net = cluster.network();
        net.heal();
        net.setDefaultFaults(HEALTHY);
        for (NodeId id : new ArrayList<>(paused)) {
            cluster.resume(id);
        }
        paused.clear();
        for (NodeId id : cluster.ids()) {
            if (down.remove(id)) {
                cluster.crash(id);
                cluster.start(id);
                counters.restarts++;
            } else if (cluster.node(id).isPresent()
                    && cluster.node(id).get().status().role() == io.flotilla.Role.FAILED) {
                cluster.crash(id);
                cluster.start(id);
                counters.restarts++;
            }
        }
    }

    /**
     * Restarts nodes that fail-stopped (a storage failure armed during chaos may fire only after healing), as an
     * operator or supervisor would; keeps doing so every 100 ms of virtual time.
     */
    public void superviseFailed() {
        for (NodeId id : cluster.ids()) {
            if (cluster.node(id).isPresent()
                    && cluster.node(id).get().status().role() == io.flotilla.Role.FAILED) {
                cluster.crash(id);
                cluster.start(id);
                counters.restarts++;
            }
        }
        queue.schedule(100_000_000L, this::superviseFailed);
    }

    private NodeId pick() {
        return cluster.ids().get(random.nextInt(cluster.ids().size()));
    }

    private void shuffle(List<NodeId> ids) {
        for (int i = ids.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            NodeId t = ids.get(i);
            ids.set(i, ids.get(j));
            ids.set(j, t);
        }
    }
}
