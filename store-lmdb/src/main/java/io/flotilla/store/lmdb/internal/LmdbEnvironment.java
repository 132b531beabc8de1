package io.flotilla.store.lmdb.internal;

import io.flotilla.spi.CorruptedStoreException;
import io.flotilla.spi.StorageFullException;
import io.flotilla.spi.StoreFailedException;
import io.flotilla.store.lmdb.LmdbStoreOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.LmdbException;
import org.lmdbjava.LmdbNativeException;
import org.lmdbjava.Txn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One LMDB environment ({@code data.mdb} + {@code lock.mdb} in a directory) with Flotilla's named databases, shared
 * by the log, state and snapshot-metadata stores of one node. It owns the three things every store needs: read
 * transactions that never block the writer, write transactions that grow the map when it is full, and the mapping
 * of LMDB's failures onto the SPI's typed exceptions.
 *
 * <h2>Transactions</h2>
 * {@link #read} runs a function in a read-only transaction (LMDB MVCC: readers see the last committed state and
 * never wait for the writer). {@link #write} runs a function in one write transaction and commits it durably; the
 * function may run more than once (after a map-full abort) and must only compute, publishing its results after
 * {@code write} returns. Writers are serialized by a lock, so the direct buffers of {@link #keyBuffer()} and
 * {@link #valueBuffer(int)} may be reused inside a write function.
 *
 * <h2>Map growth</h2>
 * {@code mdb_env_set_mapsize} needs every transaction of the process to be finished: readers hold a shared
 * lock for the length of their transaction and growth takes it exclusively, so readers wait only while the map
 * grows (rare; the size doubles each time).
 *
 * <h2>Failure</h2>
 * A full map at its ceiling, {@code ENOSPC} or {@code EDQUOT} abort the transaction and throw
 * {@link StorageFullException}; nothing of the transaction is written. Any other commit failure (an {@code EIO}
 * from the flush) marks the environment failed: every later call throws {@link StoreFailedException} (a failed
 * flush is never retried). LMDB's own corruption errors become {@link CorruptedStoreException}.
 *
 * <p>Reference counted: each store {@link #retain retains} it and closing the last reference closes the
 * environment. Thread-safe.
 */
public final class LmdbEnvironment {
    private static final Logger LOG = LoggerFactory.getLogger(LmdbEnvironment.class);

    /** Sub-directory holding {@code data.mdb} and {@code lock.mdb}. */
    public static final String ENV_DIR = "lmdb";
    /** Log entries: 8-byte big-endian index to an entry record ({@link Records}). */
    static final String DB_LOG = "log";
    /** Log bounds: {@code first} to the first index record. */
    static final String DB_LOG_META = "log-meta";
    /** Hard state: {@code hardstate} to the state record. */
    static final String DB_STATE = "state";
    /** Snapshot metadata: {@code latest} to the record of the latest committed snapshot. */
    static final String DB_SNAPSHOT = "snapshot";

    private static final int ENOSPC = 28;
    private static final int EDQUOT = 122;

    /** A unit of work inside a transaction. */
    @FunctionalInterface
    interface TxnFunction<R> {
        R apply(Txn<ByteBuffer> txn) throws IOException;
    }

    private final Path dir;
    private final Env<ByteBuffer> env;
    private final long maxMapSize;
    private final Dbi<ByteBuffer> log;
    private final Dbi<ByteBuffer> logMeta;
    private final Dbi<ByteBuffer> state;
    private final Dbi<ByteBuffer> snapshot;
    private final ReentrantLock writer = new ReentrantLock();
    private final ReentrantReadWriteLock resize = new ReentrantReadWriteLock();
    private final ByteBuffer key = ByteBuffer.allocateDirect(64);
    private ByteBuffer value = ByteBuffer.allocateDirect(4096);
    private final ThreadLocal<ByteBuffer> readKey = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(64));
    private volatile IOException failure;
    private long mapSize; // guarded by writer
    private int refs = 1; // guarded by this
    private boolean closed; // guarded by this

    private LmdbEnvironment(Path dir, Env<ByteBuffer> env, long mapSize, long maxMapSize) {
        this.dir = dir;
        this.env = env;
        this.mapSize = mapSize;
        this.maxMapSize = maxMapSize;
        this.log = env.openDbi(DB_LOG, DbiFlags.MDB_CREATE);
        this.logMeta = env.openDbi(DB_LOG_META, DbiFlags.MDB_CREATE);
        this.state = env.openDbi(DB_STATE, DbiFlags.MDB_CREATE);
        this.snapshot = env.openDbi(DB_SNAPSHOT, DbiFlags.MDB_CREATE);
    }

    /**
     * Opens (creating if absent) the environment in {@code dir}. LMDB's two meta pages make the last committed
     * transaction the state after a crash; nothing needs repairing.
     *
     * @param dir the directory of {@code data.mdb}
     * @param options the options
     * @return the environment, with one reference held by the caller
     * @throws io.flotilla.store.lmdb.LmdbSetupException if the JVM lacks the flags lmdbjava needs
     * @throws CorruptedStoreException if LMDB rejects the file as invalid or corrupt
     * @throws IOException if opening failed
     */
    public static LmdbEnvironment open(Path dir, LmdbStoreOptions options) throws IOException {
        LmdbAccess.check();
        Files.createDirectories(dir);
        List<EnvFlags> flags = new ArrayList<>();
        flags.add(EnvFlags.MDB_NOTLS); // read transactions are not bound to threads (pools, virtual threads)
        if (options.sync() == LmdbStoreOptions.SyncMode.UNSAFE_NO_FSYNC_FOR_TESTS) {
            flags.add(EnvFlags.MDB_NOSYNC);
        }
        Path data = dir.resolve("data.mdb");
        long existing = Files.exists(data) ? Files.size(data) : 0;
        long initial = Math.max(options.mapSizeBytes(), roundUp(existing));
        Env<ByteBuffer> env;
        try {
            env = Env.create().setMapSize(initial).setMaxDbs(4).open(dir.toFile(), flags.toArray(new EnvFlags[0]));
        } catch (LinkageError e) {
            throw LmdbAccess.unavailable(e);
        } catch (RuntimeException e) {
            if (LmdbAccess.isAccessFailure(e)) {
                throw LmdbAccess.unavailable(e);
            }
            throw translate(dir, "open", e);
        }
        try {
            long actual = env.info().mapSize;
            return new LmdbEnvironment(dir, env, actual, Math.max(options.maxMapSizeBytes(), actual));
        } catch (RuntimeException e) {
            env.close();
            throw translate(dir, "open databases", e);
        }
    }

    private static long roundUp(long bytes) {
        long mib = 1L << 20;
        return (bytes + mib - 1) / mib * mib;
    }

    /** Adds a reference; each must be released by {@link #release()}. */
    synchronized void retain() {
        if (closed) {
            throw new IllegalStateException("environment " + dir + " is closed");
        }
        refs++;
    }

    /**
     * Drops a reference; the last one closes the environment.
     */
    public void release() {
        synchronized (this) {
            if (closed || --refs > 0) {
                return;
            }
            closed = true;
        }
        writer.lock();
        resize.writeLock().lock();
        try {
            env.close();
        } finally {
            resize.writeLock().unlock();
            writer.unlock();
        }
    }

    /**
     * Returns the environment's directory.
     *
     * @return the directory
     */
    public Path directory() {
        return dir;
    }

    Dbi<ByteBuffer> logDb() {
        return log;
    }

    Dbi<ByteBuffer> logMetaDb() {
        return logMeta;
    }

    Dbi<ByteBuffer> stateDb() {
        return state;
    }

    Dbi<ByteBuffer> snapshotDb() {
        return snapshot;
    }

    /**
     * Returns the current map size.
     *
     * @return bytes of address space the environment may use before growing
     */
    long mapSize() {
        writer.lock();
        try {
            return mapSize;
        } finally {
            writer.unlock();
        }
    }

    /** Throws if the environment failed earlier. */
    void checkNotFailed() throws StoreFailedException {
        IOException f = failure;
        if (f != null) {
            throw new StoreFailedException("LMDB store in " + dir + " failed earlier", f);
        }
    }

    /**
     * The key buffer of the current write function, cleared.
     *
     * @return a direct buffer of at least 64 bytes; only valid inside a {@link #write} function
     */
    ByteBuffer keyBuffer() {
        key.clear();
        return key;
    }

    /**
     * The key buffer of the calling reader thread, cleared.
     *
     * @return a direct buffer of at least 64 bytes
     */
    ByteBuffer readKeyBuffer() {
        ByteBuffer b = readKey.get();
        b.clear();
        return b;
    }

    /**
     * A value buffer of the current write function with room for {@code bytes}, cleared.
     *
     * @param bytes the size needed
     * @return a direct buffer; only valid inside a {@link #write} function until the next call
     */
    ByteBuffer valueBuffer(int bytes) {
        if (value.capacity() < bytes) {
            value = ByteBuffer.allocateDirect(Math.max(bytes, value.capacity() * 2));
        }
        value.clear();
        return value;
    }

    /**
     * Runs a function in a read-only transaction; it never waits for a writer.
     *
     * @param fn the work; it must copy out any data it returns (LMDB buffers die with the transaction)
     * @param <R> the result type
     * @return the function's result
     * @throws IOException if the function or LMDB failed
     */
    <R> R read(TxnFunction<R> fn) throws IOException {
        checkNotFailed();
        resize.readLock().lock();
        try {
            synchronized (this) {
                if (closed) {
                    throw new IOException("LMDB store in " + dir + " is closed");
                }
            }
            try (Txn<ByteBuffer> txn = env.txnRead()) {
                return fn.apply(txn);
            } catch (LmdbException e) {
                throw translate(dir, "read", e);
            }
        } finally {
            resize.readLock().unlock();
        }
    }

    /**
     * Runs a function in one write transaction and commits it durably. If the map is full the transaction is
     * aborted, the map doubled (up to the ceiling) and the function run again.
     *
     * @param what the operation, for messages
     * @param fn the work; may run more than once, so it must not publish state
     * @param <R> the result type
     * @return the function's result from the committed run
     * @throws StorageFullException if the map is at its ceiling or the disk is full; nothing was written
     * @throws StoreFailedException if the environment failed, now or earlier
     * @throws IOException if the function failed (the transaction is aborted)
     */
    <R> R write(String what, TxnFunction<R> fn) throws IOException {
        writer.lock();
        try {
            while (true) {
                checkNotFailed();
                synchronized (this) {
                    if (closed) {
                        throw new IOException("LMDB store in " + dir + " is closed");
                    }
                }
                boolean committing = false;
                try (Txn<ByteBuffer> txn = env.txnWrite()) {
                    R result = fn.apply(txn);
                    committing = true;
                    txn.commit();
                    return result;
                } catch (Env.MapFullException e) {
                    if (mapSize >= maxMapSize) {
                        throw new StorageFullException("LMDB map of " + dir + " is full at its ceiling of " + maxMapSize
                                + " bytes (" + what + "); raise maxMapSizeBytes", e);
                    }
                    grow();
                } catch (LmdbNativeException e) {
                    int rc = e.getResultCode();
                    if (rc == ENOSPC || rc == EDQUOT) {
                        throw new StorageFullException("no space for LMDB store in " + dir + " (" + what + ")", e);
                    }
                    IOException t = translate(dir, what, e);
                    if (committing) {
                        failure = t;
                        LOG.error("LMDB commit failed in {} ({}); the store stops", dir, what, e);
                    }
                    throw t;
                } catch (LmdbException e) {
                    IOException t = translate(dir, what, e);
                    if (committing) {
                        failure = t;
                    }
                    throw t;
                }
            }
        } finally {
            writer.unlock();
        }
    }

    private void grow() throws IOException {
        long next = Math.min(maxMapSize, Math.max(mapSize * 2, mapSize + (1L << 20)));
        resize.writeLock().lock();
        try {
            env.setMapSize(next);
        } catch (LmdbException e) {
            throw translate(dir, "grow map to " + next, e);
        } finally {
            resize.writeLock().unlock();
        }
        LOG.info("LMDB map of {} grown from {} to {} bytes", dir, mapSize, next);
        mapSize = next;
    }

    static IOException translate(Path dir, String what, RuntimeException e) {
        if (e instanceof LmdbNativeException.PageCorruptedException
                || e instanceof LmdbNativeException.PageNotFoundException
                || e instanceof Env.FileInvalidException
                || e instanceof Env.VersionMismatchException
                || e instanceof LmdbNativeException.PanicException) {
            CorruptedStoreException c = new CorruptedStoreException(dir.resolve("data.mdb").toString(), -1,
                    "LMDB reports " + e.getMessage() + " (" + what + ")");
            c.initCause(e);
            return c;
        }
        if (e instanceof LmdbNativeException) {
            int rc = ((LmdbNativeException) e).getResultCode();
            if (rc == ENOSPC || rc == EDQUOT) {
                return new StorageFullException("no space for LMDB store in " + dir + " (" + what + ")", e);
            }
        }
        return new IOException("LMDB " + what + " failed in " + dir + ": " + e.getMessage(), e);
    }
}
