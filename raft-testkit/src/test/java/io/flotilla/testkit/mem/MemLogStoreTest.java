package io.flotilla.testkit.mem;

import io.flotilla.spi.LogStore;
import io.flotilla.testkit.LogStoreContract;
import java.nio.file.Path;

/** {@link MemStorage}'s log passes the log contract. */
class MemLogStoreTest extends LogStoreContract {
    private final MemStores stores = new MemStores();

    @Override
    protected LogStore openLog(Path dir) {
        return stores.open(dir).log();
    }
}
