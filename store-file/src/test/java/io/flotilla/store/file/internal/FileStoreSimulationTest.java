package io.flotilla.store.file.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.NodeId;
import io.flotilla.sim.SimOptions;
import io.flotilla.sim.SimReport;
import io.flotilla.sim.Simulation;
import io.flotilla.sim.StorageFactory;
import io.flotilla.spi.Storage;
import io.flotilla.store.file.FileStoreOptions;
import io.flotilla.store.file.internal.io.SimFileIO;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Whole-cluster simulations (raft-sim: partitions, loss, reordering, crashes, pauses, clock skew, and the
 * linearizability check) running the <em>real</em> file store code on simulated disks ({@link SimFileIO}), so
 * recovery (reopen, segment scan, torn-tail repair, index rebuild) runs after every simulated crash under the
 * whole protocol. A crash rebuilds the node's disk as a power failure would leave it: durable data, plus a
 * random prefix of writes still pending with the next one torn at a sector boundary.
 *
 * <p>Coverage note: the simulator runs each storage task (write + force) as one event, so crashes fall between
 * tasks; the data a crash loses is the storage tasks that had not run. Crashes <em>inside</em> a write + force
 * (torn records) are explored exhaustively at the store level by {@code CrashStateExplorationTest}; the line this
 * test prints counts how many crashes found writes in flight.
 *
 * <p>Seeds: {@code -Dflotilla.store.sim.seed=N} replays one seed; {@code -Dflotilla.store.sim.seeds=K} sets how many
 * consecutive seeds run (default 12).
 */
class FileStoreSimulationTest {
    private static final long FIRST_SEED = Long.getLong("flotilla.store.sim.seed", 0x5EEDF11EL);
    private static final int SEEDS = Integer.getInteger("flotilla.store.sim.seeds",
            System.getProperty("flotilla.store.sim.seed") != null ? 1 : 12);

    /** One simulated disk per node; crashes replace it with its post-power-failure image. */
    static final class SimDiskStorage implements StorageFactory {
        // Small segments so runs roll, seal and truncate across segment boundaries.
        private static final FileStoreOptions OPTIONS = FileStoreOptions.defaults().withSegmentBytes(64 * 1024);
        private final Map<NodeId, SimFileIO> disks = new HashMap<>();
        private final SplittableRandom random;
        private int crashes;
        private int crashesWithPendingWrites;

        SimDiskStorage(long seed) {
            this.random = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        }

        private static Path dir(NodeId node) {
            return Path.of("/sim", node.value());
        }

        @Override
        public Storage create(NodeId node) throws IOException {
            SimFileIO disk = new SimFileIO();
            disks.put(node, disk);
            return FileStorage.open(disk, dir(node), OPTIONS, node.value());
        }

        @Override
        public Storage reopen(NodeId node, Storage crashed) throws IOException {
            SimFileIO before = disks.get(node);
            int pending = before.pendingWrites();
            if (pending > 0) {
                crashesWithPendingWrites++;
            }
            int keep = pending == 0 ? 0 : random.nextInt(pending + 1);
            int torn = random.nextInt(4);
            SimFileIO after = before.crash(keep, torn, random.nextBoolean());
            disks.put(node, after);
            crashes++;
            return FileStorage.open(after, dir(node), OPTIONS, node.value());
        }

        @Override
        public String toString() {
            return "file-on-sim-disk";
        }
    }

    @Test
    void simulation_onRealFileStore_staysSafeLinearizableAndLive() {
        long events = 0;
        int ops = 0;
        int crashes = 0;
        int torn = 0;
        for (int i = 0; i < SEEDS; i++) {
            long seed = FIRST_SEED + i;
            SimDiskStorage storage = new SimDiskStorage(seed);
            SimReport r = Simulation.run(SimOptions.defaults(seed).withStorage(storage));
            assertTrue(r.passed(), "seed " + seed + " on the file store: " + r.violation().orElse("")
                    + "\nreplay: ./mvnw -B -pl store-file -am verify -Dtest=FileStoreSimulationTest"
                    + " -Dsurefire.failIfNoSpecifiedTests=false -Dflotilla.store.sim.seed=" + seed);
            events += r.events();
            ops += r.opsChecked();
            crashes += storage.crashes;
            torn += storage.crashesWithPendingWrites;
        }
        assertTrue(ops > 0, "the workload made progress");
        System.out.println("store-file sim: " + SEEDS + " seeds · " + events + " events · " + crashes
                + " crash restarts on simulated disks (" + torn + " with writes in flight) · " + ops + " ops checked linearizable · 0 violations");
    }
}
