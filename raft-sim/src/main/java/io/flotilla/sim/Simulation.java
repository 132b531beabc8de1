package io.flotilla.sim;

import io.flotilla.NodeId;
import io.flotilla.RaftConfig;
import io.flotilla.RaftStatus;
import io.flotilla.Role;
import io.flotilla.core.internal.protocol.SeededBug;
import io.flotilla.sim.internal.Counters;
import io.flotilla.sim.internal.EventQueue;
import io.flotilla.sim.internal.Nemesis;
import io.flotilla.sim.internal.SimCluster;
import io.flotilla.sim.internal.Workload;
import io.flotilla.sim.linearizability.CheckResult;
import io.flotilla.sim.linearizability.KvModel;
import io.flotilla.sim.linearizability.LinearizabilityChecker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Runs one deterministic simulation of a Flotilla cluster: real nodes on virtual time in one thread, a seeded
 * KV workload, seeded faults, safety invariants checked after every event, a heal phase that must produce a
 * leader and converged replicas, and a linearizability check of the client history.
 *
 * <h2>Determinism</h2>
 * Everything random comes from one {@link SplittableRandom} seeded with {@link SimOptions#seed()} and split per
 * component (profile, cluster, per node, network, workload, nemesis), and every task runs as an event of one
 * queue ordered by (virtual time, sequence). The same options therefore give the same run, event for event;
 * {@link SimReport#traceHash()} proves it.
 *
 * <h2>Phases</h2>
 * <ol>
 *   <li>Chaos ({@link SimOptions#chaosNanos()}): clients run; the nemesis injects the profile's faults.</li>
 *   <li>Heal: links healed, paused nodes resumed, crashed nodes restarted, clients stopped. Within 20 election
 *       timeouts plus the outstanding operations' deadline a leader must exist, and within
 *       {@link SimOptions#healNanos()} every node must have applied the leader's commit index to the same state
 *       digest.</li>
 *   <li>The history is checked for linearizability against {@link KvModel}.</li>
 * </ol>
 *
 * <h2>Example</h2>
 * <pre>{@code
 * SimReport r = Simulation.run(SimOptions.defaults(42));
 * if (!r.passed()) System.out.println(r.violation().get() + "\nreplay: " + r.replayCommand("MyTest"));
 * }</pre>
 *
 * <p><b>Threading:</b> a run occupies the calling thread; runs are independent and may go on different threads.
 * <b>Failure:</b> violations are reported in the {@link SimReport}, never thrown.
 */
public final class Simulation {
    private Simulation() {}

    /**
     * Runs one simulation.
     *
     * @param options what to run
     * @return the report
     * @throws IllegalArgumentException if a seeded-bug name is unknown
     */
    public static SimReport run(SimOptions options) {
        long wallStart = System.nanoTime();
        SplittableRandom root = new SplittableRandom(options.seed());
        SplittableRandom profileRandom = root.split();
        SplittableRandom clusterRandom = root.split();
        SplittableRandom workloadRandom = root.split();
        SplittableRandom nemesisRandom = root.split();

        int voters = options.voters() != 0 ? options.voters() : (profileRandom.nextBoolean() ? 3 : 5);
        int clients = options.clients() != 0 ? options.clients() : 2 + profileRandom.nextInt(7);
        int keys = options.keys() != 0 ? options.keys() : 1 + profileRandom.nextInt(4);
        FaultProfile profile = options.faults().orElseGet(() -> FaultProfile.swarm(profileRandom));
        RaftConfig config = options.raftConfig().orElseGet(() -> drawConfig(profileRandom));
        Set<SeededBug> bugs = EnumSet.noneOf(SeededBug.class);
        for (String name : options.seededBugs()) {
            bugs.add(SeededBug.valueOf(name));
        }
        long electionNanos = config.tickInterval().toNanos() * config.electionTicks();

        List<NodeId> ids = new ArrayList<>();
        for (int i = 1; i <= voters; i++) {
            ids.add(NodeId.of("n" + i));
        }
        EventQueue queue = new EventQueue();
        Counters counters = new Counters();
        SimCluster cluster = new SimCluster(queue, ids, config, options.storage(), bugs, clusterRandom, counters);
        Nemesis nemesis = new Nemesis(queue, cluster, profile, nemesisRandom, counters, electionNanos);
        Workload workload = new Workload(queue, cluster, workloadRandom, keys, options.opTimeoutNanos());

        nemesis.start();
        cluster.startAll();
        workload.start(clients);

        Optional<String> violation = runUntil(queue, cluster, options.chaosNanos(), () -> false);
        Optional<CheckResult> lin = Optional.empty();
        if (violation.isEmpty()) {
            nemesis.healAll();
            nemesis.superviseFailed();
            workload.stop();
            violation = heal(queue, cluster, workload, options, electionNanos);
        }
        if (violation.isEmpty()) {
            CheckResult r = LinearizabilityChecker.check(KvModel.INSTANCE, workload.history());
            lin = Optional.of(r);
            if (r.verdict() == CheckResult.Verdict.NOT_LINEARIZABLE) {
                violation = Optional.of("linearizability violated: " + r.explanation());
            } else if (r.verdict() == CheckResult.Verdict.UNKNOWN) {
                violation = Optional.of("linearizability undecided (search budget exhausted): " + r.explanation());
            }
        }
        cluster.discard();
        int ok = 0;
        int unknown = 0;
        int failed = 0;
        for (var op : workload.history()) {
            switch (op.status()) {
                case OK -> ok++;
                case UNKNOWN -> unknown++;
                case FAIL -> failed++;
            }
        }
        String details = cluster.monitor().summary() + " msgs=" + counters.messagesSent + " crashes="
                + counters.crashes + " restarts=" + counters.restarts + " pauses=" + counters.pauses + " partitions="
                + counters.partitions + " snapshotChunks=" + counters.snapshotChunks + " restores=" + counters.restores
                + " dropped=" + cluster.network().dropped() + " checks="
                + cluster.monitor().checks() + (bugs.isEmpty() ? "" : " bugs=" + bugs);
        return new SimReport(options.seed(), voters, clients, profile.enabled(), queue.executed(), counters.faults,
                queue.now(), System.nanoTime() - wallStart, ok, unknown, failed, lin, violation, queue.traceHash(),
                details, counters.snapshotChunks, counters.restores);
    }

    /** Draws timing and batching knobs; small batches and windows expose more interleavings (BUGGIFY-style). */
    static RaftConfig drawConfig(SplittableRandom r) {
        int[] appendSizes = {1, 2, 4, 64, 4096};
        int[] windows = {1, 2, 8, 256};
        int electionTicks = 15 + r.nextInt(16);
        return RaftConfig.newBuilder()
                .tickInterval(Duration.ofMillis(10))
                .electionTicks(electionTicks)
                .heartbeatTicks(Math.max(1, Math.min(5, electionTicks / 3)))
                .preVote(r.nextInt(4) != 0)
                .checkQuorum(r.nextInt(4) != 0)
                .maxAppendEntries(appendSizes[r.nextInt(appendSizes.length)])
                .maxInflightAppends(windows[r.nextInt(windows.length)])
                .snapshots(drawSnapshots(r))
                .build();
    }

    /**
     * Half the runs snapshot often, compact with small or no margins and send snapshots in small chunks and narrow
     * windows (§7), so installs happen during replication, partitions and crashes; the other half keep the defaults
     * (no snapshot in a short run).
     */
    static io.flotilla.SnapshotConfig drawSnapshots(SplittableRandom r) {
        if (r.nextBoolean()) {
            return io.flotilla.SnapshotConfig.defaults();
        }
        long[] thresholds = {10, 30, 100};
        long[] margins = {0, 3, 20};
        return io.flotilla.SnapshotConfig.newBuilder()
                .thresholdEntries(thresholds[r.nextInt(thresholds.length)])
                .trailingEntries(margins[r.nextInt(margins.length)])
                .chunkBytes(1024 << r.nextInt(3))
                .maxInflightChunks(1 + r.nextInt(3))
                .maxDeltaChain(r.nextInt(4))
                .build();
    }

    private static Optional<String> runUntil(EventQueue queue, SimCluster cluster, long until,
            java.util.function.BooleanSupplier done) {
        while (queue.nextTime() <= until) {
            queue.runNext();
            cluster.checkStatuses();
            Optional<String> v = cluster.monitor().violation();
            if (v.isPresent()) {
                return v;
            }
            if (done.getAsBoolean()) {
                return Optional.empty();
            }
        }
        if (queue.now() < until) {
            queue.advanceTo(until);
        }
        return Optional.empty();
    }

    private static Optional<String> heal(EventQueue queue, SimCluster cluster, Workload workload, SimOptions options,
            long electionNanos) {
        long healStart = queue.now();
        long leaderBound = healStart + 20 * electionNanos + options.opTimeoutNanos();
        Optional<String> v = runUntil(queue, cluster, leaderBound,
                () -> cluster.leader().isPresent() && workload.outstanding() == 0);
        if (v.isPresent()) {
            return v;
        }
        if (cluster.leader().isEmpty()) {
            return Optional.of("liveness violated: no leader " + (queue.now() - healStart) / 1_000_000
                    + " ms after healing (bound: 20 election timeouts + op timeout); statuses: " + cluster.statuses());
        }
        long convergeBound = healStart + options.healNanos();
        v = runUntil(queue, cluster, convergeBound, () -> converged(cluster));
        if (v.isPresent()) {
            return v;
        }
        if (!converged(cluster)) {
            StringBuilder sb = new StringBuilder("liveness violated: replicas did not converge within "
                    + options.healNanos() / 1_000_000 + " ms of healing:");
            for (RaftStatus s : cluster.statuses()) {
                sb.append("\n  ").append(s.self()).append(' ').append(s.role()).append(" term ").append(s.term())
                        .append(" commit ").append(s.commitIndex()).append(" applied ").append(s.appliedIndex())
                        .append(" last ").append(s.lastLogIndex()).append(" digest ")
                        .append(Long.toHexString(cluster.digest(s.self())))
                        .append(s.failure().map(f -> " failure " + f).orElse(""));
                for (io.flotilla.PeerStatus p : s.peers()) {
                    sb.append("\n    peer ").append(p.id()).append(" match ").append(p.matchIndex()).append(" next ")
                            .append(p.nextIndex()).append(' ').append(p.state()).append(p.recentlyActive() ? " active"
                                    : " inactive");
                }
            }
            return Optional.of(sb.toString());
        }
        return Optional.empty();
    }

    /** Every node up, one leader, and all applied to the leader's commit index with equal state digests. */
    private static boolean converged(SimCluster cluster) {
        Optional<NodeId> leader = cluster.leader();
        if (leader.isEmpty()) {
            return false;
        }
        List<RaftStatus> all = cluster.statuses();
        if (all.size() != cluster.ids().size()) {
            return false;
        }
        RaftStatus ls = cluster.node(leader.get()).orElseThrow().status();
        if (ls.commitIndex() == 0 || ls.appliedIndex() != ls.commitIndex()) {
            return false;
        }
        long digest = cluster.digest(leader.get());
        for (RaftStatus s : all) {
            if (s.role() == Role.FAILED || s.appliedIndex() != ls.commitIndex()
                    || cluster.digest(s.self()) != digest) {
                return false;
            }
        }
        return true;
    }
}
