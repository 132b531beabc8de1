package io.flotilla.store.lmdb.internal;

import io.flotilla.spi.SnapshotStore;
import io.flotilla.store.lmdb.LmdbStoreOptions;
import io.flotilla.testkit.SnapshotStoreContract;
import java.io.IOException;
import java.nio.file.Path;

/** The testkit's snapshot contract (incremental parts included) on the LMDB store's snapshot layout. */
class LmdbSnapshotStoreContractTest extends SnapshotStoreContract {
    @Override
    protected SnapshotStore openSnapshots(Path dir) throws IOException {
        LmdbEnvironment env = LmdbEnvironment.open(dir.resolve("lmdb"), LmdbStoreOptions.defaults());
        try {
            return LmdbSnapshotStore.open(env, dir.resolve("snapshots"));
        } finally {
            env.release();
        }
    }
}
