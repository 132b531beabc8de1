package io.flotilla.store.file.internal;

import io.flotilla.spi.Capability;
import io.flotilla.spi.LogStore;
import io.flotilla.spi.SnapshotStore;
import io.flotilla.spi.StateStore;
import io.flotilla.spi.Storage;
import io.flotilla.store.file.FileStoreOptions;
import io.flotilla.store.file.internal.io.FileIO;
import io.flotilla.store.file.internal.io.NoSyncFileIO;
import io.flotilla.store.file.internal.log.FileLogStore;
import io.flotilla.store.file.internal.snapshot.FileSnapshotStore;
import io.flotilla.store.file.internal.state.FileStateStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * The three file stores of one node in one directory: {@code log/} (segments), {@code state/hardstate} and
 * {@code snapshots/}. Accessors are thread-safe and return the same instances; {@link #close} closes all three.
 */
public final class FileStorage implements Storage {
    /** Sub-directory of the log segments. */
    public static final String LOG_DIR = "log";
    /** Sub-directory of the hard-state file. */
    public static final String STATE_DIR = "state";
    /** Sub-directory of the snapshot parts. */
    public static final String SNAPSHOT_DIR = "snapshots";

    /** Zero-fills spare segments off the storage thread; daemon threads, idle ones expire. */
    private static final java.util.concurrent.Executor PREALLOCATOR = new java.util.concurrent.ThreadPoolExecutor(0,
            Integer.MAX_VALUE, 10, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(),
            r -> {
                Thread t = new Thread(r, "flotilla-segment-preallocator");
                t.setDaemon(true);
                return t;
            });

    /** The lock file that keeps a second process (or a second open in this one) out of the directory. */
    public static final String LOCK_FILE = "LOCK";

    private final FileLogStore log;
    private final FileStateStore state;
    private final FileSnapshotStore snapshots;
    private final java.nio.channels.FileChannel lockChannel; // null on a simulated disk

    private FileStorage(FileLogStore log, FileStateStore state, FileSnapshotStore snapshots,
            java.nio.channels.FileChannel lockChannel) {
        this.log = log;
        this.state = state;
        this.snapshots = snapshots;
        this.lockChannel = lockChannel;
    }

    private static java.nio.channels.FileChannel lock(Path dir) throws IOException {
        java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dir.resolve(LOCK_FILE),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
        try {
            if (ch.tryLock() != null) {
                return ch;
            }
        } catch (java.nio.channels.OverlappingFileLockException e) {
            // held by this process
        }
        ch.close();
        throw new IOException("storage directory " + dir + " is in use by another store (lock file " + LOCK_FILE
                + ")");
    }

    /**
     * Opens (creating if absent) the stores in a directory, recovering from a crash.
     *
     * @param io the file system ({@code RealFileIO.INSTANCE} in production)
     * @param dir the node's directory
     * @param options the options
     * @param owner a name for log lines
     * @return the storage
     * @throws io.flotilla.spi.CorruptedStoreException if stored data is damaged beyond a torn tail
     * @throws IOException if opening failed
     */
    public static FileStorage open(FileIO io, Path dir, FileStoreOptions options, String owner) throws IOException {
        FileIO fio = options.sync() == FileStoreOptions.SyncMode.DURABLE ? io : new NoSyncFileIO(io);
        io.createDirectories(dir);
        java.nio.channels.FileChannel lock = io instanceof io.flotilla.store.file.internal.io.RealFileIO ? lock(dir) : null;
        FileStateStore state;
        try {
            state = FileStateStore.open(fio, dir.resolve(STATE_DIR));
        } catch (IOException | RuntimeException e) {
            if (lock != null) {
                lock.close();
            }
            throw e;
        }
        FileLogStore log = null;
        try {
            // Real disks fill the next segment in the background; a simulated disk does it inline, deterministically.
            java.util.concurrent.Executor prealloc = io instanceof io.flotilla.store.file.internal.io.RealFileIO
                    ? PREALLOCATOR : Runnable::run;
            log = FileLogStore.open(fio, dir.resolve(LOG_DIR), options.segmentBytes(), options.cacheBytes(), owner,
                    prealloc);
            FileSnapshotStore snaps = FileSnapshotStore.open(fio, dir.resolve(SNAPSHOT_DIR));
            return new FileStorage(log, state, snaps, lock);
        } catch (IOException | RuntimeException e) {
            state.close();
            if (log != null) {
                log.close();
            }
            if (lock != null) {
                lock.close();
            }
            throw e;
        }
    }

    @Override
    public LogStore log() {
        return log;
    }

    @Override
    public StateStore state() {
        return state;
    }

    @Override
    public SnapshotStore snapshots() {
        return snapshots;
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of();
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (AutoCloseable c : new AutoCloseable[] {log, state, snapshots, lockChannel}) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
