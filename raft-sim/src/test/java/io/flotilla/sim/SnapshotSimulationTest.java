package io.flotilla.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.RaftConfig;
import io.flotilla.SnapshotConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Snapshots under faults (§7): every run snapshots every few entries, compacts with no catch-up margin and sends
 * snapshots in 1 KiB chunks one at a time, so crashed, partitioned and lagging nodes are caught up by InstallSnapshot
 * while the nemesis keeps crashing nodes (also in the middle of writing, sending and installing snapshots), and
 * every invariant and the linearizability check must still hold. A fixed seed window; a failing seed prints the
 * command that replays it: {@code -Dsim.seed=N -Dsim.config=snapshots -Dtest=SimulationTest}.
 */
class SnapshotSimulationTest {
    /** The {@code -Dsim.config} value under which {@link SimulationTest} replays these options. */
    static final String CONFIG = "snapshots";
    private static final long FIRST_SEED = Long.getLong("sim.snapshot.start", 7_000_000L);
    private static final int SEEDS = Integer.getInteger("sim.snapshot.seeds", 12);

    /** @return the options of one seed of this test */
    static SimOptions options(long seed) {
        return SimOptions.defaults(seed).withRaftConfig(aggressiveSnapshots());
    }

    /** @return the command that replays a run of {@link #options} */
    static String replayCommand(SimReport r) {
        return r.replayCommand("SimulationTest", "-Dsim.config=" + CONFIG);
    }

    static RaftConfig aggressiveSnapshots() {
        return RaftConfig.newBuilder().tickInterval(Duration.ofMillis(10)).electionTicks(20).heartbeatTicks(4)
                .maxAppendEntries(8).maxInflightAppends(4)
                .snapshots(SnapshotConfig.newBuilder().thresholdEntries(15).trailingEntries(0).chunkBytes(1024)
                        .maxInflightChunks(1).maxDeltaChain(2).build())
                .build();
    }

    @Test
    void snapshotsEverywhere_underFaults_keepEveryInvariant_andInstallsHappen() {
        long chunks = 0;
        long restores = 0;
        List<String> failures = new ArrayList<>();
        for (long seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
            SimReport r = Simulation.run(options(seed));
            chunks += r.snapshotChunks();
            restores += r.restores();
            if (!r.passed() && !(r.isLivenessFailure() && !CampaignTest.livenessStrict())) {
                failures.add(r + "\n  replay: " + replayCommand(r));
            }
        }
        System.out.println("sim snapshots: seeds " + FIRST_SEED + ".." + (FIRST_SEED + SEEDS - 1) + ": " + chunks
                + " InstallSnapshot chunks, " + restores + " restores, " + failures.size() + " failures");
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertTrue(chunks > 0, "some node was caught up by InstallSnapshot");
        assertTrue(restores > 0, "some state machine was restored from a snapshot");
    }

    @Test
    void replayCommand_makesSimulationTestRunTheseOptions() {
        long seed = 7_000_042L;
        SimReport r = new SimReport(seed, 3, 2, List.of(), 0, 0, 0, 0, 0, 0, 0, Optional.empty(),
                Optional.of("a violation"), 0, "", 0, 0);
        String command = replayCommand(r);
        assertTrue(command.contains(" -Dsim.config=snapshots "), command);
        assertTrue(command.contains(" -Dsim.seed=" + seed + " "), command);
        assertTrue(command.contains(" -Dtest=SimulationTest "), command);
        Properties properties = new Properties();
        for (String arg : command.split(" ")) {
            if (arg.startsWith("-D") && arg.contains("=")) {
                properties.setProperty(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            }
        }
        SimOptions replayed = SimulationTest.optionsFromProperties(Long.parseLong(properties.getProperty("sim.seed")),
                properties);
        assertEquals(seed, replayed.seed());
        assertEquals(Optional.of(aggressiveSnapshots()), replayed.raftConfig());
        assertEquals(options(seed).withStorage(replayed.storage()), replayed);
    }
}
