package io.flotilla.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.RaftConfig;
import io.flotilla.SnapshotConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Snapshots under faults (§7): every run snapshots every few entries, compacts with no catch-up margin and sends
 * snapshots in 1 KiB chunks one at a time, so crashed, partitioned and lagging nodes are caught up by InstallSnapshot
 * while the nemesis keeps crashing nodes (also in the middle of writing, sending and installing snapshots), and
 * every invariant and the linearizability check must still hold. A fixed seed window; replay one seed with
 * {@code -Dsim.seed=N -Dtest=SimulationTest} after setting the same configuration.
 */
class SnapshotSimulationTest {
    private static final long FIRST_SEED = Long.getLong("sim.snapshot.start", 7_000_000L);
    private static final int SEEDS = Integer.getInteger("sim.snapshot.seeds", 12);

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
            SimReport r = Simulation.run(SimOptions.defaults(seed).withRaftConfig(aggressiveSnapshots()));
            chunks += r.snapshotChunks();
            restores += r.restores();
            if (!r.passed() && !(r.isLivenessFailure() && !CampaignTest.livenessStrict())) {
                failures.add(r + "\n  replay: " + r.replayCommand("SimulationTest"));
            }
        }
        System.out.println("sim snapshots: seeds " + FIRST_SEED + ".." + (FIRST_SEED + SEEDS - 1) + ": " + chunks
                + " InstallSnapshot chunks, " + restores + " restores, " + failures.size() + " failures");
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertTrue(chunks > 0, "some node was caught up by InstallSnapshot");
        assertTrue(restores > 0, "some state machine was restored from a snapshot");
    }
}
