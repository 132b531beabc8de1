package io.flotilla.store.lmdb.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.NodeId;
import io.flotilla.sim.SimOptions;
import io.flotilla.sim.SimReport;
import io.flotilla.sim.Simulation;
import io.flotilla.sim.StorageFactory;
import io.flotilla.spi.Storage;
import io.flotilla.store.lmdb.LmdbStoreOptions;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole-cluster simulations (raft-sim: partitions, loss, reordering, crashes, pauses, clock skew, and the
 * linearizability check) running the <em>real</em> LMDB store, one environment per node in a temporary directory.
 * The simulator runs each storage task as one event, so a simulated crash falls between tasks: it closes the node's
 * store and reopens the same directory (LMDB's recovery path: meta-page selection, bounds and record checks).
 * Commits skip {@code fsync} here ({@code MDB_NOSYNC}): a process-level reopen keeps page-cache data, and real kills
 * during commits are {@link LmdbCrashIT}'s job.
 *
 * <p>Seeds: {@code -Dflotilla.lmdb.sim.seed=N} replays one seed; {@code -Dflotilla.lmdb.sim.seeds=K} sets how many
 * consecutive seeds run (default 2; each runs real LMDB environments, about 30 s).
 */
class LmdbStoreSimulationTest {
    private static final long FIRST_SEED = Long.getLong("flotilla.lmdb.sim.seed", 0x1DB5EEDL);
    private static final int SEEDS = Integer.getInteger("flotilla.lmdb.sim.seeds",
            System.getProperty("flotilla.lmdb.sim.seed") != null ? 1 : 2);
    private static final LmdbStoreOptions OPTIONS = LmdbStoreOptions.defaults()
            .withMapSizeBytes(LmdbStoreOptions.MIN_MAP_SIZE_BYTES)
            .withSync(LmdbStoreOptions.SyncMode.UNSAFE_NO_FSYNC_FOR_TESTS);

    @TempDir
    Path root;

    /** One LMDB directory per node and seed; a crash closes and reopens it. */
    private static final class LmdbDirs implements StorageFactory {
        private final Path dir;
        int crashes;

        LmdbDirs(Path dir) {
            this.dir = dir;
        }

        @Override
        public Storage create(NodeId node) throws IOException {
            return LmdbStorage.open(dir.resolve(node.value()), OPTIONS);
        }

        @Override
        public Storage reopen(NodeId node, Storage crashed) throws IOException {
            crashed.close();
            crashes++;
            return LmdbStorage.open(dir.resolve(node.value()), OPTIONS);
        }

        @Override
        public String toString() {
            return "lmdb";
        }
    }

    @Test
    void simulation_onRealLmdbStore_staysSafeLinearizableAndLive() {
        long events = 0;
        int ops = 0;
        int crashes = 0;
        for (int i = 0; i < SEEDS; i++) {
            long seed = FIRST_SEED + i;
            LmdbDirs storage = new LmdbDirs(root.resolve("seed-" + seed));
            SimReport r = Simulation.run(SimOptions.defaults(seed).withStorage(storage));
            assertTrue(r.passed(), "seed " + seed + " on the LMDB store: " + r.violation().orElse("")
                    + "\nreplay: ./mvnw -B -pl store-lmdb -am verify -Dtest=LmdbStoreSimulationTest"
                    + " -Dsurefire.failIfNoSpecifiedTests=false -Dflotilla.lmdb.sim.seed=" + seed);
            events += r.events();
            ops += r.opsChecked();
            crashes += storage.crashes;
        }
        assertTrue(ops > 0, "the workload made progress");
        System.out.println("store-lmdb sim: " + SEEDS + " seeds · " + events + " events · " + crashes
                + " crash restarts · " + ops + " ops checked linearizable · 0 violations");
    }
}
