package io.flotilla.core.internal.protocol;

import static org.junit.jupiter.api.Assertions.fail;

import io.flotilla.LogEntry;
import io.flotilla.NodeId;
import io.flotilla.NotLeaderException;
import io.flotilla.ProposalDroppedException;
import io.flotilla.RaftConfig;
import io.flotilla.Role;
import io.flotilla.message.RaftMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded random-operation runs against the Raft safety properties (Figure 3): random ticks, deliveries, drops,
 * duplicates, reordering, partitions, crashes (losing un-persisted state), restarts, held storage, proposals and
 * reads, on clusters of 3 and 5 nodes with every combination of pre-vote and check-quorum. After every operation
 * it checks Election Safety and State Machine Safety (in {@link Env}), Log Matching on committed prefixes,
 * Leader Completeness, and that every read index covers every write committed before the read was registered
 * (linearizable reads, thesis §6.4).
 *
 * <p>Prints the failing seed; replay one with {@code -Dprotocol.seed=N} (and {@code -Dprotocol.steps=N}).
 * {@code -Dprotocol.bugs=COMMIT_PREVIOUS_TERM_BY_COUNTING} (etc.) shows the checks catching a seeded bug.
 */
class RandomizedSafetyTest {
    private static final int SEEDS = Integer.getInteger("protocol.seeds", 40);
    private static final int STEPS = Integer.getInteger("protocol.steps", 600);

    @Test
    void randomFaults_neverViolateSafety() {
        Long only = Long.getLong("protocol.seed");
        if (only != null) {
            run(only, STEPS);
            return;
        }
        long base = Long.getLong("protocol.baseSeed", 20261123L);
        for (long s = base; s < base + SEEDS; s++) {
            run(s, STEPS);
        }
    }

    private static void run(long seed, int steps) {
        try {
            simulate(seed, steps);
        } catch (AssertionError | RuntimeException e) {
            // Shrink by retrying shorter prefixes: report the shortest failing length.
            int shortest = steps;
            for (int n = steps / 2; n >= 10; n /= 2) {
                try {
                    simulate(seed, n);
                    break;
                } catch (AssertionError | RuntimeException again) {
                    shortest = n;
                }
            }
            throw new AssertionError("seed " + seed + " failed (shortest failing run: " + shortest
                    + " steps); replay with -Dprotocol.seed=" + seed + " -Dprotocol.steps=" + shortest + ": "
                    + e.getMessage(), e);
        }
    }

    private static void simulate(long seed, int steps) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int size = rnd.nextBoolean() ? 3 : 5;
        RaftConfig cfg = RaftConfig.newBuilder().electionTicks(10).heartbeatTicks(2).preVote(rnd.nextBoolean())
                .checkQuorum(rnd.nextBoolean()).maxAppendEntries(1 + rnd.nextInt(4)).maxInflightAppends(1 + rnd.nextInt(4))
                .build();
        Env env = new Env();
        env.verbose = false;
        env.addNodes(size, List.of(), cfg, seed, bugs());
        List<NodeId> ids = new ArrayList<>(env.nodes.keySet());
        Map<Long, Long> readFloor = new HashMap<>();
        Map<NodeId, Integer> readsSeen = new HashMap<>();
        long nextRead = 1;
        int proposals = 0;
        for (int step = 0; step < steps; step++) {
            int op = rnd.nextInt(100);
            NodeId n = ids.get(rnd.nextInt(ids.size()));
            Env.Node node = env.node(n);
            if (op < 26) {
                env.tickAll(1);
            } else if (op < 52) {
                env.deliver(m -> rnd.nextInt(4) != 0);
            } else if (op < 56) {
                env.network.removeIf(m -> rnd.nextInt(3) == 0);
            } else if (op < 58) {
                List<RaftMessage> copy = new ArrayList<>(env.network);
                env.network.addAll(copy.subList(0, copy.size() / 2));
            } else if (op < 61) {
                Collections.shuffle(env.network, new java.util.Random(rnd.nextLong()));
            } else if (op < 63) {
                Set<NodeId> a = new HashSet<>();
                Set<NodeId> b = new HashSet<>();
                for (NodeId id : ids) {
                    (rnd.nextBoolean() ? a : b).add(id);
                }
                env.partition(List.of(a, b));
            } else if (op < 66) {
                env.partition(List.of());
            } else if (op < 70) {
                if (node.up) {
                    env.crash(n);
                }
            } else if (op < 76) {
                if (!node.up) {
                    env.restart(n);
                }
            } else if (op < 82) {
                node.held = !node.held;
                env.process(node);
            } else if (op < 94) {
                Env.Node leader = env.leader();
                if (leader != null) {
                    try {
                        env.propose(leader.id, "v" + (proposals++));
                    } catch (NotLeaderException | ProposalDroppedException e) {
                        // fine
                    }
                }
            } else {
                Env.Node leader = env.leader();
                if (leader != null) {
                    long id = nextRead++;
                    readFloor.put(id, maxCommit(env));
                    leader.p.readIndex(id);
                    env.process(leader);
                }
            }
            check(env, readFloor, readsSeen, seed, step);
        }
        // Heal everything and let the cluster converge: safety must still hold, and a leader must emerge.
        env.partition(List.of());
        for (Env.Node x : env.nodes.values()) {
            if (!x.up) {
                env.restart(x.id);
            }
            x.held = false;
            env.process(x);
        }
        env.run(200);
        check(env, readFloor, readsSeen, seed, steps);
        if (env.leader() == null) {
            fail("no leader after healing (liveness), seed " + seed + "\n" + env.status());
        }
    }

    /** {@code -Dprotocol.bugs=A,B} switches seeded bugs on, to see that these checks catch them. */
    private static Set<SeededBug> bugs() {
        Set<SeededBug> bugs = EnumSet.noneOf(SeededBug.class);
        String spec = System.getProperty("protocol.bugs", "");
        for (String s : spec.split(",")) {
            if (!s.isBlank()) {
                bugs.add(SeededBug.valueOf(s.trim()));
            }
        }
        return bugs;
    }

    private static long maxCommit(Env env) {
        long max = 0;
        for (Env.Node x : env.nodes.values()) {
            if (x.up) {
                max = Math.max(max, x.p.commitIndex());
            }
        }
        return max;
    }

    private static void check(Env env, Map<Long, Long> readFloor, Map<NodeId, Integer> readsSeen, long seed, int step) {
        if (!env.violations.isEmpty()) {
            fail("step " + step + ": " + env.violations);
        }
        List<Env.Node> up = new ArrayList<>();
        for (Env.Node x : env.nodes.values()) {
            if (x.up) {
                up.add(x);
            }
        }
        for (Env.Node a : up) {
            // Log Matching on committed prefixes, and Leader Completeness: a leader holds every applied entry.
            for (Env.Node b : up) {
                long upTo = Math.min(a.p.commitIndex(), b.p.commitIndex());
                for (long i = 1; i <= upTo; i++) {
                    if (a.p.termAt(i) != b.p.termAt(i)) {
                        fail("step " + step + ": committed entry " + i + " differs between " + a.id + " and " + b.id);
                    }
                }
            }
            if (a.p.role() == Role.LEADER) {
                for (Env.Node b : env.nodes.values()) {
                    for (LogEntry e : b.applied) {
                        if (a.p.termAt(e.index()) != e.term()) {
                            fail("step " + step + ": leader " + a.id + " (term " + a.p.term() + ") lacks applied entry "
                                    + e.index() + "/" + e.term());
                        }
                    }
                }
            }
            int seen = readsSeen.getOrDefault(a.id, 0);
            for (int k = seen; k < a.servedReads.size(); k++) {
                ReadState rs = a.servedReads.get(k);
                Long floor = readFloor.get(rs.readId());
                if (floor != null && rs.readIndex() < floor) {
                    fail("step " + step + ": read " + rs.readId() + " got index " + rs.readIndex()
                            + " but " + floor + " was committed before it was registered (stale read)");
                }
            }
            readsSeen.put(a.id, a.servedReads.size());
        }
    }
}
