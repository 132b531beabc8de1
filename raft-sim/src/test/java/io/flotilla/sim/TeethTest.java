package io.flotilla.sim;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.RaftConfig;
import io.flotilla.core.internal.protocol.SeededBug;
import java.time.Duration;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Detection power ("teeth"): with each {@link SeededBug} switched on, the simulator must report a safety or
 * linearizability violation within a budget of seeds. Liveness failures do not count as detection.
 *
 * <p>The fault profile is tuned for exposure: pre-vote off (so partitioned nodes inflate their terms and come
 * back disruptive), 1–4 entries per AppendEntries (so commits advance entry by entry), frequent partitions,
 * leader isolation, crashes and pauses, 5% loss and duplication. Seeds are 1, 2, 3... so results are stable;
 * {@code -Dsim.teeth.seeds=N} changes the budget.
 */
class TeethTest {
    private static final int BUDGET = Integer.getInteger("sim.teeth.seeds", 40);

    /** The exposure profile and tuning for seed {@code seed}. */
    static SimOptions teethOptions(long seed, SeededBug bug) {
        SplittableRandom r = new SplittableRandom(seed * 31);
        int[] sizes = {1, 2, 4};
        RaftConfig cfg = RaftConfig.newBuilder()
                .tickInterval(Duration.ofMillis(10))
                .electionTicks(15 + r.nextInt(10))
                .heartbeatTicks(5)
                .preVote(false)
                .checkQuorum(r.nextBoolean())
                .maxAppendEntries(sizes[r.nextInt(sizes.length)])
                .maxInflightAppends(1 + r.nextInt(4))
                .build();
        FaultProfile profile = new FaultProfile(0.05, 0.05, 30_000_000L, true, false, true, true, true, false, false,
                300_000_000L);
        return SimOptions.defaults(seed).withChaosNanos(10_000_000_000L).withFaults(profile).withRaftConfig(cfg)
                .withSeededBugs(Set.of(bug.name()));
    }

    @ParameterizedTest
    @EnumSource(SeededBug.class)
    void seededBug_isDetectedWithinBudget(SeededBug bug) {
        SimReport detected = null;
        int seeds = 0;
        int livenessOnly = 0;
        for (long seed = 1; seed <= BUDGET; seed++) {
            seeds++;
            SimReport r = Simulation.run(teethOptions(seed, bug));
            if (!r.passed()) {
                if (r.violation().get().startsWith("liveness")) {
                    livenessOnly++;
                    continue;
                }
                detected = r;
                break;
            }
        }
        assertNotNull(detected, bug + " not detected within " + BUDGET + " seeds");
        String first = detected.violation().get().lines().findFirst().orElse("");
        System.out.println("sim teeth: " + bug + " detected at seed " + detected.seed() + " (" + seeds
                + " seeds to detection): " + first);
        assertTrue(seeds <= BUDGET);
    }
}
