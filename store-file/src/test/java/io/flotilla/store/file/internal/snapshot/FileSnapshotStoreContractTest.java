package io.flotilla.store.file.internal.snapshot;

import io.flotilla.spi.SnapshotStore;
import io.flotilla.store.file.internal.io.FailingFileIO;
import io.flotilla.store.file.internal.io.RealFileIO;
import io.flotilla.testkit.SnapshotStoreContract;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The testkit's snapshot contract against the real file system, with failing flushes injected by a
 * {@link FailingFileIO} and damage done to the part files on disk.
 */
class FileSnapshotStoreContractTest extends SnapshotStoreContract {
    private final FailingFileIO io = new FailingFileIO(RealFileIO.INSTANCE);

    @Override
    protected SnapshotStore openSnapshots(Path dir) throws IOException {
        return FileSnapshotStore.open(io, dir);
    }

    @Override
    protected Optional<Closeable> failCommits(SnapshotStore store, Path dir) {
        io.failForce(true);
        return Optional.of(() -> io.failForce(false));
    }

    @Override
    protected boolean corruptPart(SnapshotStore store, Path dir, int part) throws IOException {
        Manifest.Entry e = Manifest.read(RealFileIO.INSTANCE, dir.resolve(Manifest.NAME)).chain().get(part);
        try (FileChannel ch = FileChannel.open(e.file(dir), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long at = ch.size() / 2;
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 0x04));
            ch.write(b.rewind(), at);
        }
        return true;
    }
}
