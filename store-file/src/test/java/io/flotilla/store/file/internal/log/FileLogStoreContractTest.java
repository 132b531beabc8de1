package io.flotilla.store.file.internal.log;

import io.flotilla.spi.LogStore;
import io.flotilla.store.file.internal.io.RealFileIO;
import io.flotilla.testkit.LogStoreContract;
import java.io.IOException;
import java.nio.file.Path;

/** The testkit's log contract against the real file system, with small segments so rolls happen often. */
class FileLogStoreContractTest extends LogStoreContract {
    @Override
    protected LogStore openLog(Path dir) throws IOException {
        return FileLogStore.open(RealFileIO.INSTANCE, dir, 8192, 1 << 20, "contract");
    }
}
