package io.flotilla.store.lmdb.internal;

import io.flotilla.spi.StateStore;
import io.flotilla.store.lmdb.LmdbStoreOptions;
import io.flotilla.testkit.StateStoreContract;
import java.io.IOException;
import java.nio.file.Path;

/** The testkit's hard-state contract on a real, durable LMDB environment. */
class LmdbStateStoreContractTest extends StateStoreContract {
    @Override
    protected StateStore openState(Path dir) throws IOException {
        LmdbEnvironment env = LmdbEnvironment.open(dir.resolve("lmdb"), LmdbStoreOptions.defaults());
        try {
            return LmdbStateStore.open(env);
        } finally {
            env.release();
        }
    }
}
