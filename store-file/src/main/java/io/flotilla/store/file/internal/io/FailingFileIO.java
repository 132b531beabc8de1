package io.flotilla.store.file.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@link FileIO} decorator whose {@code force} fails with EIO while armed: a failing disk over a real one. A test
 * aid (like {@link SimFileIO}), shared by the file store's and the LMDB store's snapshot contract tests.
 *
 * <p><b>Threading:</b> as the decorated {@code FileIO}; arming is thread-safe.
 */
public final class FailingFileIO implements FileIO {
    private final FileIO d;
    private volatile boolean failForce;

    /**
     * @param d the real file system layer
     */
    public FailingFileIO(FileIO d) {
        this.d = d;
    }

    /**
     * Arms or disarms the failure.
     *
     * @param fail whether every later {@code force} throws
     */
    public void failForce(boolean fail) {
        this.failForce = fail;
    }

    @Override
    public FileHandle open(Path file, boolean create) throws IOException {
        FileHandle h = d.open(file, create);
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
            public void force(boolean metadata) throws IOException {
                if (failForce) {
                    throw new IOException("EIO (injected) on force of " + file);
                }
                h.force(metadata);
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
        return d.exists(path);
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        d.createDirectories(dir);
    }

    @Override
    public List<String> list(Path dir) throws IOException {
        return d.list(dir);
    }

    @Override
    public void delete(Path file) throws IOException {
        d.delete(file);
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        d.rename(from, to);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        d.syncDirectory(dir);
    }
}
