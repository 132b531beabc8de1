package io.flotilla.store.file.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * Wraps a {@link FileIO} and turns every flush into a no-op: {@code FileStoreOptions.SyncMode.UNSAFE_NO_FSYNC_FOR_TESTS}.
 * Data survives a process crash but not a machine crash. Never for production.
 */
public final class NoSyncFileIO implements FileIO {
    private final FileIO delegate;

    /**
     * Wraps a file system.
     *
     * @param delegate the real operations
     */
    public NoSyncFileIO(FileIO delegate) {
        this.delegate = delegate;
    }

    @Override
    public FileHandle open(Path file, boolean create) throws IOException {
        FileHandle h = delegate.open(file, create);
        return new FileHandle() {
            @Override
            public int read(ByteBuffer dst, long position) throws IOException {
                return h.read(dst, position);
            }

            @Override
            public void write(ByteBuffer src, long position) throws IOException {
                h.write(src, position);
            }

            @Override
            public void force(boolean metadata) {
                // deliberately not flushed
            }

            @Override
            public void truncate(long size) throws IOException {
                h.truncate(size);
            }

            @Override
            public long size() throws IOException {
                return h.size();
            }

            @Override
            public void close() throws IOException {
                h.close();
            }
        };
    }

    @Override
    public boolean exists(Path path) {
        return delegate.exists(path);
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        delegate.createDirectories(dir);
    }

    @Override
    public List<String> list(Path dir) throws IOException {
        return delegate.list(dir);
    }

    @Override
    public void delete(Path file) throws IOException {
        delegate.delete(file);
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        delegate.rename(from, to);
    }

    @Override
    public void syncDirectory(Path dir) {
        // deliberately not flushed
    }
}
