package io.flotilla.store.file.internal.snapshot;

import io.flotilla.spi.SnapshotStore;
import io.flotilla.store.file.internal.io.RealFileIO;
import io.flotilla.testkit.SnapshotStoreContract;
import java.io.IOException;
import java.nio.file.Path;

/** The testkit's snapshot contract against the real file system. */
class FileSnapshotStoreContractTest extends SnapshotStoreContract {
    @Override
    protected SnapshotStore openSnapshots(Path dir) throws IOException {
        return FileSnapshotStore.open(RealFileIO.INSTANCE, dir);
    }
}
