package io.flotilla.store.file.internal.snapshot;

import io.flotilla.SnapshotMeta;
import io.flotilla.spi.Capability;
import io.flotilla.spi.CorruptedStoreException;
import io.flotilla.spi.SnapshotKind;
import io.flotilla.spi.SnapshotPart;
import io.flotilla.spi.SnapshotReader;
import io.flotilla.spi.SnapshotStore;
import io.flotilla.spi.SnapshotWriter;
import io.flotilla.spi.StorageFullException;
import io.flotilla.spi.StoreFailedException;
import io.flotilla.store.file.internal.io.FileHandle;
import io.flotilla.store.file.internal.io.FileIO;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshot chains in a directory: a FULL part and zero or more DELTA parts on top of it, each part a checksummed
 * file ({@link PartFormat}), and a {@link Manifest} naming the current chain.
 *
 * <h2>Commit, one atomic switch</h2>
 * A part is written to {@code <name>.tmp}; {@link SnapshotWriter#commit} writes its end record, flushes it, renames
 * it to {@code <name>} and flushes the directory; then it writes the new chain to {@code MANIFEST.tmp}, flushes
 * it, renames it over {@code MANIFEST} and flushes the directory. That last rename is the commit point: a crash
 * before it leaves the old manifest (the old chain) in force, and the next open deletes the orphan part and the
 * temporary files; after it, the new chain. A FULL part above the latest index starts a new chain; a FULL part
 * <em>at</em> the latest index is a merge and replaces the whole chain the same way.
 *
 * <h2>Deletion</h2>
 * Parts that a commit supersedes are deleted once no open {@link SnapshotReader} holds them (reference counts),
 * and only after the new manifest is durable; whatever a crash leaves behind, the next open deletes, since only
 * the manifest decides what is live. Files whose names this store does not use are left alone (logged).
 *
 * <h2>Failure</h2>
 * On open the manifest and every part of its chain are verified end to end before anything is deleted; damage is
 * a {@link CorruptedStoreException} naming the file and offset, and the store refuses to open rather than fall
 * back to another chain. Reading a damaged part later fails when the bad block is reached, before any of its
 * bytes are returned. A full disk fails the write with {@link StorageFullException} and keeps the store usable;
 * any other I/O error during a write or flush fails the store for good ({@link StoreFailedException} on every
 * later call; readers already open keep working), because a failed {@code fsync} is never retried.
 *
 * <p>Thread-safe: one writer at a time, any number of readers. A writer whose chain was replaced meanwhile (two
 * writers at once) fails its commit with an {@link IOException} and publishes nothing.
 */
public final class FileSnapshotStore implements SnapshotStore {
    private static final Logger LOG = LoggerFactory.getLogger(FileSnapshotStore.class);
    private static final String TMP = ".tmp";
    /** The name of the file naming the current chain. */
    public static final String MANIFEST = Manifest.NAME;

    private final FileIO io;
    private final Path dir;
    // Invariant: empty, or a FULL part then DELTA parts of increasing index; exactly what MANIFEST names.
    private List<StoredPart> chain = List.of();
    // Every committed part file still on disk that this store may delete: the chain and superseded parts in use.
    private final Set<StoredPart> kept = new HashSet<>();
    private long nextId;
    private long sequence;
    private boolean closed;
    private IOException failure;

    private FileSnapshotStore(FileIO io, Path dir) {
        this.io = io;
        this.dir = dir;
    }

    /**
     * Opens (creating if absent) the snapshot directory: reads the manifest, verifies its chain, then deletes
     * temporary files and parts no manifest names.
     *
     * @param io the file system
     * @param dir the directory
     * @return the store
     * @throws CorruptedStoreException if the manifest or a part of its chain is damaged or missing
     * @throws IOException if reading failed
     */
    public static FileSnapshotStore open(FileIO io, Path dir) throws IOException {
        FileSnapshotStore s = new FileSnapshotStore(io, dir);
        s.recover();
        return s;
    }

    private void recover() throws IOException {
        io.createDirectories(dir);
        List<Path> garbage = new ArrayList<>();
        List<Path> parts = new ArrayList<>();
        long maxId = -1;
        boolean hasManifest = false;
        for (String name : io.list(dir)) {
            String base = name.endsWith(TMP) ? name.substring(0, name.length() - TMP.length()) : name;
            Optional<PartFormat.Name> parsed = PartFormat.parse(base);
            if (parsed.isPresent()) {
                maxId = Math.max(maxId, parsed.get().id());
            }
            if (name.equals(Manifest.NAME)) {
                hasManifest = true;
            } else if (name.equals(Manifest.TMP_NAME) || (parsed.isPresent() && name.endsWith(TMP))) {
                garbage.add(dir.resolve(name)); // an uncommitted write, torn or whole
            } else if (parsed.isPresent()) {
                parts.add(dir.resolve(name));
            } else {
                LOG.warn("ignoring unknown file {} in snapshot directory {}", name, dir);
            }
        }
        List<StoredPart> loaded = new ArrayList<>();
        if (hasManifest) {
            Manifest.Contents m = Manifest.read(io, dir.resolve(Manifest.NAME));
            sequence = m.sequence();
            for (Manifest.Entry e : m.chain()) {
                loaded.add(verified(e));
                maxId = Math.max(maxId, e.id());
            }
        }
        for (Path p : parts) {
            if (loaded.stream().noneMatch(l -> l.path.equals(p))) {
                garbage.add(p);
            }
        }
        for (Path p : garbage) {
            LOG.info("deleting {} (not part of the committed snapshot chain)", p);
            io.delete(p);
        }
        if (!garbage.isEmpty()) {
            io.syncDirectory(dir);
        }
        chain = List.copyOf(loaded);
        kept.addAll(chain);
        nextId = maxId + 1;
    }

    /** Opens and verifies one part the manifest names: it must exist, match the entry and pass every check. */
    private StoredPart verified(Manifest.Entry e) throws IOException {
        Path p = e.file(dir);
        if (!io.exists(p)) {
            throw new CorruptedStoreException(p.toString(), -1, "snapshot part named by " + Manifest.NAME
                    + " is missing");
        }
        try (FileHandle f = io.open(p, false)) {
            PartFormat.Header h = PartFormat.readHeader(f, p);
            if (h.kind() != e.kind() || h.meta().lastIncludedIndex() != e.index()) {
                throw new CorruptedStoreException(p.toString(), 0, "snapshot part header (" + h.kind() + " at "
                        + h.meta().lastIncludedIndex() + ") does not match " + Manifest.NAME);
            }
            long size = PartFormat.verify(f, p, h.length());
            return new StoredPart(io, p, e.id(), h, size);
        }
    }

    /** Throws if the store is closed or failed. Caller holds the lock. */
    private void check() throws IOException {
        if (closed) {
            throw new IOException("snapshot store " + dir + " is closed");
        }
        if (failure != null) {
            throw new StoreFailedException("snapshot store " + dir + " failed earlier", failure);
        }
    }

    synchronized void checkUsable() throws IOException {
        check();
    }

    /** Fails the store for good after an I/O error other than a full disk. */
    synchronized void fail(IOException e) {
        if (failure == null) {
            failure = e;
            LOG.error("snapshot store {} failed permanently", dir, e);
        }
    }

    private long latestIndex() {
        return chain.isEmpty() ? -1 : chain.get(chain.size() - 1).meta().lastIncludedIndex();
    }

    @Override
    public synchronized Optional<SnapshotMeta> latest() throws IOException {
        check();
        return chain.isEmpty() ? Optional.empty() : Optional.of(chain.get(chain.size() - 1).meta());
    }

    @Override
    public SnapshotWriter create(SnapshotMeta meta, SnapshotKind kind) throws IOException {
        Objects.requireNonNull(meta, "meta");
        Objects.requireNonNull(kind, "kind");
        List<StoredPart> on;
        long id;
        synchronized (this) {
            check();
            long latest = latestIndex();
            long index = meta.lastIncludedIndex();
            if (kind == SnapshotKind.DELTA && chain.isEmpty()) {
                throw new IllegalArgumentException("a DELTA snapshot needs a base; no snapshot exists yet");
            }
            if (index < latest || (index == latest && kind == SnapshotKind.DELTA)) {
                throw new IllegalArgumentException("snapshot index " + index + " is not above the latest snapshot's "
                        + latest + (index == latest ? " (only a FULL part may merge the chain at its own index)" : ""));
            }
            on = chain;
            id = nextId++;
        }
        long base = kind == SnapshotKind.FULL ? meta.lastIncludedIndex() : on.get(0).meta().lastIncludedIndex();
        long previous = kind == SnapshotKind.FULL ? -1 : on.get(on.size() - 1).meta().lastIncludedIndex();
        Path fin = dir.resolve(PartFormat.name(meta.lastIncludedIndex(), id, kind));
        Path tmp = dir.resolve(fin.getFileName() + TMP);
        FileHandle h = io.open(tmp, true);
        ByteBuffer header = PartFormat.encodeHeader(kind, meta, base, previous);
        try {
            h.write(header, 0);
        } catch (IOException e) {
            h.close();
            io.delete(tmp);
            if (!(e instanceof StorageFullException)) {
                fail(e);
            }
            throw e;
        }
        return new PartWriter(this, io, meta, kind, id, tmp, fin, h, header.limit(), on);
    }

    /**
     * Makes a flushed, renamed part the latest by switching the manifest (step 2 of a commit), then deletes the
     * parts it superseded that no reader holds.
     *
     * @throws IOException if the store is closed or failed, the writer's chain was replaced meanwhile, or writing
     *     the manifest failed; the previous chain stays the latest
     */
    synchronized void publish(PartWriter w, StoredPart part) throws IOException {
        check();
        SnapshotMeta meta = part.meta();
        long createdLatest = w.createdOn.isEmpty() ? -1
                : w.createdOn.get(w.createdOn.size() - 1).meta().lastIncludedIndex();
        boolean newChain = w.kind() == SnapshotKind.FULL && meta.lastIncludedIndex() > createdLatest;
        if (newChain ? meta.lastIncludedIndex() <= latestIndex() : chain != w.createdOn) {
            throw new IOException("cannot commit the " + w.kind() + " snapshot at " + meta.lastIncludedIndex()
                    + ": another snapshot was committed since it was created (latest is now " + latestIndex() + ")");
        }
        List<StoredPart> next = new ArrayList<>(w.kind() == SnapshotKind.FULL ? List.of() : chain);
        next.add(part);
        List<Manifest.Entry> entries = next.stream().map(StoredPart::entry).toList();
        writeManifest(w, entries);
        List<StoredPart> old = chain;
        chain = List.copyOf(next);
        kept.add(part);
        if (w.kind() == SnapshotKind.FULL) {
            for (StoredPart p : old) {
                p.superseded = true;
            }
            deleteUnused();
        }
    }

    private void writeManifest(PartWriter w, List<Manifest.Entry> entries) throws IOException {
        Path tmp = dir.resolve(Manifest.TMP_NAME);
        Path manifest = dir.resolve(Manifest.NAME);
        io.delete(tmp);
        try {
            try (FileHandle h = io.open(tmp, true)) {
                h.write(Manifest.encode(sequence + 1, entries), 0);
                h.force(true);
            }
            w.mayBeNamed = true;
            io.rename(tmp, manifest);
            io.syncDirectory(dir);
        } catch (StorageFullException e) {
            io.delete(tmp);
            throw e;
        } catch (IOException e) {
            // The new manifest may or may not be durable: the store stops; the next open reads what is on disk.
            fail(e);
            throw e;
        }
        sequence++;
    }

    /** Deletes superseded parts no reader holds (only while open: after close, the next open does it). */
    private void deleteUnused() {
        if (closed || failure != null) {
            return;
        }
        List<StoredPart> unused = kept.stream().filter(p -> p.superseded && p.readers == 0).toList();
        if (unused.isEmpty()) {
            return;
        }
        try {
            for (StoredPart p : unused) {
                io.delete(p.path);
                kept.remove(p);
            }
            io.syncDirectory(dir);
        } catch (IOException e) {
            LOG.warn("could not delete superseded snapshot parts in {}; the next open deletes them", dir, e);
        }
    }

    @Override
    public synchronized Optional<SnapshotReader> openLatest() throws IOException {
        check();
        if (chain.isEmpty()) {
            return Optional.empty();
        }
        List<StoredPart> held = chain;
        for (StoredPart p : held) {
            p.readers++;
        }
        return Optional.of(new Reader(held));
    }

    private synchronized void release(List<StoredPart> held) {
        for (StoredPart p : held) {
            p.readers--;
        }
        deleteUnused();
    }

    /**
     * Returns how many committed part files this store keeps (the chain plus superseded parts still read).
     *
     * @return the number of part files
     */
    public synchronized int storedParts() {
        return kept.size();
    }

    /**
     * Returns the files of the current chain, base first (for tests and tools).
     *
     * @return the part files
     */
    public synchronized List<Path> chainFiles() {
        return chain.stream().map(p -> p.path).toList();
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.INCREMENTAL_SNAPSHOTS);
    }

    /** Closes the store; open readers keep working, and parts they hold are deleted by the next open. */
    @Override
    public synchronized void close() {
        closed = true;
    }

    private final class Reader implements SnapshotReader {
        private final List<StoredPart> held;
        private boolean closedReader;

        Reader(List<StoredPart> held) {
            this.held = held;
        }

        @Override
        public SnapshotMeta meta() {
            return held.get(held.size() - 1).meta();
        }

        @Override
        public List<SnapshotPart> parts() {
            return List.copyOf(held);
        }

        @Override
        public void close() {
            synchronized (FileSnapshotStore.this) {
                if (!closedReader) {
                    closedReader = true;
                    release(held);
                }
            }
        }
    }
}
