package io.flotilla.store.file.internal.snapshot;

import io.flotilla.SnapshotMeta;
import io.flotilla.spi.SnapshotKind;
import io.flotilla.spi.SnapshotPart;
import io.flotilla.store.file.internal.io.FileHandle;
import io.flotilla.store.file.internal.io.FileIO;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * One committed part file of a chain, with the bookkeeping that decides when it may be deleted: how many open
 * readers hold it and whether a later commit superseded it. The counters are guarded by the owning
 * {@link FileSnapshotStore}'s lock; the rest is immutable, and {@link #open()} is thread-safe.
 */
final class StoredPart implements SnapshotPart {
    private final FileIO io;
    final Path path;
    final long id;
    final PartFormat.Header header;
    private final long size;
    // Guarded by the store's lock.
    int readers;
    boolean superseded;

    StoredPart(FileIO io, Path path, long id, PartFormat.Header header, long size) {
        this.io = io;
        this.path = path;
        this.id = id;
        this.header = header;
        this.size = size;
    }

    Manifest.Entry entry() {
        return new Manifest.Entry(id, header.meta().lastIncludedIndex(), header.kind());
    }

    @Override
    public SnapshotKind kind() {
        return header.kind();
    }

    @Override
    public SnapshotMeta meta() {
        return header.meta();
    }

    @Override
    public long sizeBytes() {
        return size;
    }

    /** Opens a stream that checks each block's CRC32C before returning any of its bytes. */
    @Override
    public InputStream open() throws IOException {
        FileHandle h = io.open(path, false);
        return new PartInputStream(h, path, header.length(), true);
    }

    @Override
    public String toString() {
        return "snapshot part " + path.getFileName() + " (" + size + " bytes)";
    }
}
