package io.flotilla.store.lmdb.internal;

import io.flotilla.spi.LogStore;
import io.flotilla.spi.SnapshotStore;
import io.flotilla.spi.StateStore;
import io.flotilla.spi.Storage;
import io.flotilla.store.lmdb.LmdbStoreOptions;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The three LMDB-backed stores of one node in one directory: {@code lmdb/} (the environment: log, hard state and
 * snapshot metadata), {@code snapshots/} (snapshot part files) and a {@code LOCK} file. LMDB itself lets several
 * processes write one environment in turn, which for two Raft nodes sharing a directory would be silent
 * corruption, so the directory is locked exclusively while open.
 *
 * <p>Accessors are thread-safe and return the same instances; {@link #close} closes all three and the
 * environment (the last store closed releases it).
 */
public final class LmdbStorage implements Storage {
    /** The lock file that keeps a second process (or a second open in this one) out of the directory. */
    public static final String LOCK_FILE = "LOCK";
    /** Sub-directory of the snapshot part files. */
    public static final String SNAPSHOT_DIR = "snapshots";

    private final LmdbLogStore log;
    private final LmdbStateStore state;
    private final LmdbSnapshotStore snapshots;
    private final FileChannel lock;

    private LmdbStorage(LmdbLogStore log, LmdbStateStore state, LmdbSnapshotStore snapshots, FileChannel lock) {
        this.log = log;
        this.state = state;
        this.snapshots = snapshots;
        this.lock = lock;
    }

    /**
     * Opens (creating if absent) the stores in a directory.
     *
     * @param dir the node's directory
     * @param options the options
     * @return the storage
     * @throws io.flotilla.store.lmdb.LmdbSetupException if the JVM lacks the flags lmdbjava needs
     * @throws io.flotilla.spi.CorruptedStoreException if stored data fails its checks
     * @throws IOException if the directory is in use or opening failed
     */
    public static LmdbStorage open(Path dir, LmdbStoreOptions options) throws IOException {
        LmdbAccess.check();
        Files.createDirectories(dir);
        FileChannel lock = lock(dir);
        LmdbEnvironment env = null;
        LmdbLogStore log = null;
        LmdbStateStore state = null;
        try {
            env = LmdbEnvironment.open(dir.resolve(LmdbEnvironment.ENV_DIR), options);
            log = LmdbLogStore.open(env);
            state = LmdbStateStore.open(env);
            state.load(); // fail at open, not at the first election, if the hard state is damaged
            LmdbSnapshotStore snaps = LmdbSnapshotStore.open(env, dir.resolve(SNAPSHOT_DIR));
            env.release(); // the three stores hold it now
            return new LmdbStorage(log, state, snaps, lock);
        } catch (IOException | RuntimeException e) {
            if (state != null) {
                state.close();
            }
            if (log != null) {
                log.close();
            }
            if (env != null) {
                env.release();
            }
            lock.close();
            throw e;
        }
    }

    private static FileChannel lock(Path dir) throws IOException {
        FileChannel ch = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            if (ch.tryLock() != null) {
                return ch;
            }
        } catch (OverlappingFileLockException e) {
            // held by this process
        }
        ch.close();
        throw new IOException("storage directory " + dir + " is in use by another store (lock file " + LOCK_FILE + ")");
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
    public void close() throws IOException {
        log.close();
        state.close();
        snapshots.close();
        lock.close();
    }
}
