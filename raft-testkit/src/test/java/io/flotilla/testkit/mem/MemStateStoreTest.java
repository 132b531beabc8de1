package io.flotilla.testkit.mem;

import io.flotilla.spi.StateStore;
import io.flotilla.testkit.StateStoreContract;
import java.nio.file.Path;

/** {@link MemStorage}'s state store passes the state contract. */
class MemStateStoreTest extends StateStoreContract {
    private final MemStores stores = new MemStores();

    @Override
    protected StateStore openState(Path dir) {
        return stores.open(dir).state();
    }
}
