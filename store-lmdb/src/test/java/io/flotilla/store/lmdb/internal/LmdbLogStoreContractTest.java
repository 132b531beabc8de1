package io.flotilla.store.lmdb.internal;

import io.flotilla.spi.LogStore;
import io.flotilla.store.lmdb.LmdbStoreOptions;
import io.flotilla.testkit.LogStoreContract;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The testkit's log contract on a real, durable LMDB environment with a 1 MiB initial map, so the large-entry
 * and random tests also grow the map mid-transaction.
 */
class LmdbLogStoreContractTest extends LogStoreContract {
    @Override
    protected LogStore openLog(Path dir) throws IOException {
        LmdbEnvironment env = LmdbEnvironment.open(dir.resolve("lmdb"),
                LmdbStoreOptions.defaults().withMapSizeBytes(LmdbStoreOptions.MIN_MAP_SIZE_BYTES));
        try {
            return LmdbLogStore.open(env);
        } finally {
            env.release(); // the store holds the only reference now
        }
    }
}
