package io.flotilla.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Single-seed runs: replay a seed ({@code -Dsim.seed=N}, optionally {@code -Dsim.config=snapshots} for the options of
 * {@link SnapshotSimulationTest}, {@code -Dsim.chaos.ms=M} and {@code -Dsim.bugs=BUG1,BUG2}) and check that replays are
 * bit-identical.
 */
class SimulationTest {
    private static final long SEED = Long.getLong("sim.seed", System.nanoTime() & 0xFFFF_FFFFL);

    /** @return the options the system properties describe */
    static SimOptions optionsFromProperties(long seed) {
        return optionsFromProperties(seed, System.getProperties());
    }

    /**
     * @param seed the seed
     * @param properties {@code sim.config} ({@code default} or {@code snapshots}), {@code sim.chaos.ms},
     *     {@code sim.bugs}
     * @return the options the properties describe
     */
    static SimOptions optionsFromProperties(long seed, Properties properties) {
        SimOptions o = SimOptions.defaults(seed);
        String config = properties.getProperty("sim.config", "default").strip();
        switch (config) {
            case "default", "" -> { }
            case SnapshotSimulationTest.CONFIG -> o = SnapshotSimulationTest.options(seed);
            default -> throw new IllegalArgumentException("sim.config must be default or "
                    + SnapshotSimulationTest.CONFIG + ", got " + config);
        }
        String chaos = properties.getProperty("sim.chaos.ms");
        if (chaos != null && !chaos.isBlank()) {
            o = o.withChaosNanos(Long.parseLong(chaos) * 1_000_000L);
        }
        String bugs = properties.getProperty("sim.bugs");
        if (bugs != null && !bugs.isBlank()) {
            Set<String> names = Arrays.stream(bugs.split(",")).map(String::trim).collect(Collectors.toSet());
            o = o.withSeededBugs(names);
        }
        return o;
    }

    /** @return the replay command of a run of {@link #optionsFromProperties(long)}, with the properties it read */
    private static String replayCommand(SimReport r) {
        List<String> properties = new ArrayList<>();
        for (String name : List.of("sim.config", "sim.chaos.ms", "sim.bugs")) {
            String value = System.getProperty(name);
            if (value != null && !value.isBlank()) {
                properties.add("-D" + name + "=" + value.strip());
            }
        }
        return r.replayCommand("SimulationTest", properties.toArray(new String[0]));
    }

    @Test
    void run_seed_passesEveryCheck() {
        SimReport r = Simulation.run(optionsFromProperties(SEED));
        System.out.println("SimulationTest " + r + " wall=" + r.wallNanos() / 1_000_000 + "ms");
        if (r.isLivenessFailure() && !CampaignTest.livenessStrict()) {
            System.out.println("SimulationTest LIVENESS FAILURE (reported only, -Dsim.liveness=report): "
                    + r.violation().get() + "\nreplay: " + replayCommand(r));
            return;
        }
        assertTrue(r.passed(), r.violation().orElse("") + "\nreplay: " + replayCommand(r));
        assertTrue(r.opsOk() > 0, "the workload made progress");
    }

    @Test
    void run_sameSeedTwice_isBitIdentical() {
        SimOptions o = SimOptions.defaults(SEED).withChaosNanos(5_000_000_000L);
        SimReport a = Simulation.run(o);
        SimReport b = Simulation.run(o);
        System.out.println("SimulationTest determinism seed " + SEED + ": " + a.events() + " events, trace "
                + Long.toHexString(a.traceHash()) + " twice");
        assertEquals(a.events(), b.events(), "seed " + SEED);
        assertEquals(a.traceHash(), b.traceHash(), "seed " + SEED + ": replay diverged");
        assertEquals(a.toString(), b.toString());
    }
}
