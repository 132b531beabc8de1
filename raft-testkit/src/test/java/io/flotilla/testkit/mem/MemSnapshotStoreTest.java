package io.flotilla.testkit.mem;

import io.flotilla.spi.SnapshotStore;
import io.flotilla.testkit.SnapshotStoreContract;
import java.nio.file.Path;

/** {@link MemStorage}'s snapshot store passes the snapshot contract. */
class MemSnapshotStoreTest extends SnapshotStoreContract {
    private final MemStores stores = new MemStores();

    @Override
    protected SnapshotStore openSnapshots(Path dir) {
        return stores.open(dir).snapshots();
    }
}
