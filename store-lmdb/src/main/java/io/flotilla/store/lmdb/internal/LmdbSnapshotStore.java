package io.flotilla.store.lmdb.internal;

import io.flotilla.SnapshotMeta;
import io.flotilla.spi.Capability;
import io.flotilla.spi.CorruptedStoreException;
import io.flotilla.spi.SnapshotKind;
import io.flotilla.spi.SnapshotReader;
import io.flotilla.spi.SnapshotStore;
import io.flotilla.spi.SnapshotWriter;
import io.flotilla.store.file.internal.io.FileIO;
import io.flotilla.store.file.internal.io.RealFileIO;
import io.flotilla.store.file.internal.snapshot.FileSnapshotStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.lmdbjava.Dbi;

/**
 * Snapshots for the LMDB store: the data in checksummed part files beside the environment (store-file's
 * {@link FileSnapshotStore}: LMDB is not made for multi-gigabyte values), and the latest committed
 * {@code (lastIncludedIndex, lastIncludedTerm)} recorded in the environment's {@code snapshot} database.
 *
 * <h2>Why both</h2>
 * The record lets open tell a crash from a loss. The part is committed first, the record after it, so after a
 * crash the files may be one commit ahead of the record (the record is then brought forward) but never behind it:
 * files older than the record, or none at all, mean a committed snapshot was deleted or damaged, and open fails
 * with {@link CorruptedStoreException} instead of starting from an older state.
 *
 * <p>Thread-safe (one writer at a time, any number of readers), blocking; incremental (DELTA) parts are supported
 * as by the file store. A failure to record a committed part fails the store ({@link LmdbEnvironment}).
 */
public final class LmdbSnapshotStore implements SnapshotStore {
    private static final String KEY = "latest";

    private final LmdbEnvironment env;
    private final FileSnapshotStore files;
    private final Dbi<ByteBuffer> db;
    private final String where;
    private volatile boolean closed;

    private LmdbSnapshotStore(LmdbEnvironment env, FileSnapshotStore files) {
        this.env = env;
        this.files = files;
        this.db = env.snapshotDb();
        this.where = env.directory() + "/" + LmdbEnvironment.DB_SNAPSHOT + "/" + KEY;
    }

    /**
     * Opens the snapshot files in {@code dir} and reconciles them with the environment's record, retaining the
     * environment.
     *
     * @param env the environment
     * @param dir the directory of the part files
     * @return the store
     * @throws CorruptedStoreException if the files are damaged or older than the recorded latest snapshot
     * @throws IOException if reading failed
     */
    public static LmdbSnapshotStore open(LmdbEnvironment env, Path dir) throws IOException {
        return open(env, dir, RealFileIO.INSTANCE);
    }

    /**
     * Opens the snapshot files through a given file layer (tests inject failing flushes with it).
     *
     * @param env the environment
     * @param dir the directory of the part files
     * @param io the file layer
     * @return the store
     * @throws CorruptedStoreException if the files are damaged or older than the recorded latest snapshot
     * @throws IOException if reading failed
     */
    static LmdbSnapshotStore open(LmdbEnvironment env, Path dir, FileIO io) throws IOException {
        FileSnapshotStore files = FileSnapshotStore.open(io, dir);
        LmdbSnapshotStore s = new LmdbSnapshotStore(env, files);
        try {
            s.reconcile();
        } catch (IOException | RuntimeException e) {
            files.close();
            throw e;
        }
        env.retain();
        return s;
    }

    private void reconcile() throws IOException {
        Optional<long[]> recorded = env.read(txn -> {
            ByteBuffer v = db.get(txn, Records.nameKey(env.readKeyBuffer(), KEY));
            return v == null ? Optional.empty() : Optional.of(Records.decodeSnapshot(v, where));
        });
        Optional<SnapshotMeta> onDisk = files.latest();
        if (recorded.isPresent()) {
            long[] r = recorded.get();
            if (onDisk.isEmpty() || onDisk.get().lastIncludedIndex() < r[0]) {
                throw new CorruptedStoreException(where, -1, "the latest committed snapshot (index " + r[0] + ", term "
                        + r[1] + ") is missing from the snapshot files, which hold "
                        + onDisk.map(m -> "index " + m.lastIncludedIndex()).orElse("nothing"));
            }
            if (onDisk.get().lastIncludedIndex() == r[0] && onDisk.get().lastIncludedTerm() != r[1]) {
                throw new CorruptedStoreException(where, -1, "snapshot files hold term "
                        + onDisk.get().lastIncludedTerm() + " at index " + r[0] + ", recorded term " + r[1]);
            }
        }
        if (onDisk.isPresent() && (recorded.isEmpty() || recorded.get()[0] != onDisk.get().lastIncludedIndex())) {
            record(onDisk.get()); // a crash between a part's commit and its record
        }
    }

    private void record(SnapshotMeta m) throws IOException {
        env.write("record snapshot", txn -> {
            db.put(txn, Records.nameKey(env.keyBuffer(), KEY),
                    Records.encodeSnapshot(env.valueBuffer(21), m.lastIncludedIndex(), m.lastIncludedTerm()));
            return null;
        });
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("snapshot store " + where + " is closed");
        }
        env.checkNotFailed();
    }

    @Override
    public Optional<SnapshotMeta> latest() throws IOException {
        checkOpen();
        return files.latest();
    }

    @Override
    public SnapshotWriter create(SnapshotMeta meta, SnapshotKind kind) throws IOException {
        checkOpen();
        SnapshotWriter w = files.create(meta, kind);
        return new SnapshotWriter() {
            @Override
            public SnapshotMeta meta() {
                return w.meta();
            }

            @Override
            public OutputStream output() {
                return w.output();
            }

            @Override
            public void commit() throws IOException {
                checkOpen();
                w.commit();
                record(meta);
            }

            @Override
            public void close() throws IOException {
                w.close();
            }
        };
    }

    @Override
    public Optional<SnapshotReader> openLatest() throws IOException {
        checkOpen();
        return files.openLatest();
    }

    @Override
    public Set<Capability> capabilities() {
        return files.capabilities();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            files.close();
            env.release();
        }
    }
}
