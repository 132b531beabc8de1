package io.flotilla.store.file.internal.state;

import io.flotilla.spi.StateStore;
import io.flotilla.store.file.internal.io.RealFileIO;
import io.flotilla.testkit.StateStoreContract;
import java.io.IOException;
import java.nio.file.Path;

/** The testkit's hard-state contract against the real file system. */
class FileStateStoreContractTest extends StateStoreContract {
    @Override
    protected StateStore openState(Path dir) throws IOException {
        return FileStateStore.open(RealFileIO.INSTANCE, dir);
    }
}
