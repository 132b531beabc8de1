package io.flotilla.store.lmdb.internal;

import io.flotilla.spi.SnapshotStore;
import io.flotilla.store.file.internal.io.FailingFileIO;
import io.flotilla.store.file.internal.io.RealFileIO;
import io.flotilla.store.lmdb.LmdbStoreOptions;
import io.flotilla.testkit.SnapshotStoreContract;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The testkit's snapshot contract (incremental parts included) on the LMDB store's snapshot layout, with failing
 * flushes injected under the part files and damage done to them on disk.
 */
class LmdbSnapshotStoreContractTest extends SnapshotStoreContract {
    private final FailingFileIO io = new FailingFileIO(RealFileIO.INSTANCE);

    @Override
    protected SnapshotStore openSnapshots(Path dir) throws IOException {
        LmdbEnvironment env = LmdbEnvironment.open(dir.resolve("lmdb"), LmdbStoreOptions.defaults());
        try {
            return LmdbSnapshotStore.open(env, dir.resolve("snapshots"), io);
        } finally {
            env.release();
        }
    }

    @Override
    protected Optional<Closeable> failCommits(SnapshotStore store, Path dir) {
        io.failForce(true);
        return Optional.of(() -> io.failForce(false));
    }

    @Override
    protected boolean corruptPart(SnapshotStore store, Path dir, int part) throws IOException {
        // Part files are named <index>-<id>-<kind>.part: in name order they are the chain's order.
        List<Path> parts;
        try (Stream<Path> files = Files.list(dir.resolve("snapshots"))) {
            parts = files.filter(f -> f.getFileName().toString().endsWith(".part")).sorted().toList();
        }
        try (FileChannel ch = FileChannel.open(parts.get(part), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long at = ch.size() / 2;
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 0x04));
            ch.write(b.rewind(), at);
        }
        return true;
    }
}
