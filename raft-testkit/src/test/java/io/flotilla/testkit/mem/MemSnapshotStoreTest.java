package io.flotilla.testkit.mem;

import io.flotilla.spi.SnapshotStore;
import io.flotilla.testkit.SnapshotStoreContract;
import java.io.Closeable;
import java.nio.file.Path;
import java.util.Optional;

/** {@link MemStorage}'s snapshot store passes the snapshot contract, with commit failures and damage injected. */
class MemSnapshotStoreTest extends SnapshotStoreContract {
    private final MemStores stores = new MemStores();

    @Override
    protected SnapshotStore openSnapshots(Path dir) {
        return stores.open(dir).snapshots();
    }

    @Override
    protected Optional<Closeable> failCommits(SnapshotStore store, Path dir) {
        MemStorage storage = stores.current(dir);
        storage.setFull(true);
        return Optional.of(() -> storage.setFull(false));
    }

    @Override
    protected boolean corruptPart(SnapshotStore store, Path dir, int part) {
        stores.current(dir).damageSnapshotPart(part, 1234);
        return true;
    }
}
