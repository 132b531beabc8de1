package io.flotilla.store.file.internal.snapshot;

import io.flotilla.SnapshotMeta;
import io.flotilla.spi.Capability;
import io.flotilla.spi.CorruptedStoreException;
import io.flotilla.spi.SnapshotKind;
import io.flotilla.spi.SnapshotPart;
import io.flotilla.spi.SnapshotReader;
import io.flotilla.spi.SnapshotStore;
import io.flotilla.spi.SnapshotWriter;
import io.flotilla.store.file.internal.io.FileHandle;
import io.flotilla.store.file.internal.io.FileIO;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshot chains in a directory: a FULL part and zero or more DELTA parts on top of it (format in
 * {@link PartFormat}), each part checksummed block by block.
 *
 * <h2>Durability</h2>
 * A part is written to a temporary file; {@link SnapshotWriter#commit} writes the end record, flushes the file,
 * renames it into place and flushes the directory, and only then makes it the latest. A crash before the
 * rename leaves a temporary file that the next open deletes.
 *
 * <h2>Chains and deletion</h2>
 * Committing a FULL part supersedes the previous chain; its files are deleted as soon as no open
 * {@link SnapshotReader} holds them (reference counts), or at the next open. Merging a delta chain into a new base
 * needs the state machine's semantics: the caller reads the chain and commits a new FULL part, which supersedes it.
 *
 * <h2>Failure</h2>
 * On open the latest chain is verified end to end; a damaged part is a {@link CorruptedStoreException} naming the
 * file and offset. Reading a damaged part later fails when the bad block is reached, before any of its bytes are
 * returned. Thread-safe (one writer at a time, any number of readers).
 */
public final class FileSnapshotStore implements SnapshotStore {
    private static final Logger LOG = LoggerFactory.getLogger(FileSnapshotStore.class);
    private static final String TMP = ".tmp";

    private final FileIO io;
    private final Path dir;
    // Invariant: chain is empty or starts with a FULL part, each later part's previous is the part before it.
    private List<StoredPart> chain = List.of();
    private final Map<Path, StoredPart> live = new HashMap<>();
    private boolean closed;

    private FileSnapshotStore(FileIO io, Path dir) {
        this.io = io;
        this.dir = dir;
    }

    /** One committed part file and how many open readers hold it. */
    private final class StoredPart implements SnapshotPart {
        final Path path;
        final PartFormat.Header header;
        final long size;
        int readers;
        boolean superseded;

        StoredPart(Path path, PartFormat.Header header, long size) {
            this.path = path;
            this.header = header;
            this.size = size;
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

        @Override
        public InputStream open() throws IOException {
            FileHandle h = io.open(path, false);
            return new PartInputStream(h, path, header.length(), true);
        }
    }

    /**
     * Opens (creating if absent) the snapshot directory, keeps the latest complete chain, verifies it and deletes
     * everything else.
     *
     * @param io the file system
     * @param dir the directory
     * @return the store
     * @throws CorruptedStoreException if a part of the latest chain is damaged
     * @throws IOException if reading failed
     */
    public static FileSnapshotStore open(FileIO io, Path dir) throws IOException {
        FileSnapshotStore s = new FileSnapshotStore(io, dir);
        s.recover();
        return s;
    }

    private void recover() throws IOException {
        io.createDirectories(dir);
        boolean dirty = false;
        Map<Long, PartFormat.Header> fulls = new HashMap<>();
        Map<Long, PartFormat.Header> deltas = new HashMap<>();
        Map<PartFormat.Header, Path> paths = new HashMap<>();
        List<Path> all = new ArrayList<>();
        for (String name : io.list(dir)) {
            Path p = dir.resolve(name);
            if (name.endsWith(TMP)) {
                io.delete(p);
                dirty = true;
                continue;
            }
            if (!name.endsWith(PartFormat.SUFFIX)) {
                LOG.warn("ignoring unknown file {} in {}", name, dir);
                continue;
            }
            all.add(p);
            PartFormat.Header h;
            try (FileHandle f = io.open(p, false)) {
                h = PartFormat.readHeader(f, p);
            }
            paths.put(h, p);
            (h.kind() == SnapshotKind.FULL ? fulls : deltas).put(h.meta().lastIncludedIndex(), h);
        }
        List<StoredPart> best = new ArrayList<>();
        if (!fulls.isEmpty()) {
            long baseIndex = fulls.keySet().stream().mapToLong(Long::longValue).max().getAsLong();
            PartFormat.Header cur = fulls.get(baseIndex);
            best.add(verified(paths.get(cur), cur));
            boolean extended = true;
            while (extended) {
                extended = false;
                for (PartFormat.Header d : deltas.values()) {
                    if (d.base() == baseIndex && d.previous() == cur.meta().lastIncludedIndex()) {
                        best.add(verified(paths.get(d), d));
                        cur = d;
                        extended = true;
                        break;
                    }
                }
            }
        }
        for (Path p : all) {
            if (best.stream().noneMatch(b -> b.path.equals(p))) {
                LOG.info("deleting superseded snapshot part {}", p);
                io.delete(p);
                dirty = true;
            }
        }
        if (dirty) {
            io.syncDirectory(dir);
        }
        for (StoredPart p : best) {
            live.put(p.path, p);
        }
        chain = List.copyOf(best);
    }

    private StoredPart verified(Path p, PartFormat.Header h) throws IOException {
        try (FileHandle f = io.open(p, false)) {
            long size = PartFormat.verify(f, p, h.length());
            return new StoredPart(p, h, size);
        }
    }

    private void check() throws IOException {
        if (closed) {
            throw new IOException("snapshot store " + dir + " is closed");
        }
    }

    @Override
    public synchronized Optional<SnapshotMeta> latest() throws IOException {
        check();
        return chain.isEmpty() ? Optional.empty() : Optional.of(chain.get(chain.size() - 1).meta());
    }

    @Override
    public synchronized SnapshotWriter create(SnapshotMeta meta, SnapshotKind kind) throws IOException {
        check();
        long latest = chain.isEmpty() ? -1 : chain.get(chain.size() - 1).meta().lastIncludedIndex();
        if (meta.lastIncludedIndex() <= latest) {
            throw new IllegalArgumentException("snapshot index " + meta.lastIncludedIndex()
                    + " is not above the latest snapshot's " + latest);
        }
        if (kind == SnapshotKind.DELTA && chain.isEmpty()) {
            throw new IllegalArgumentException("a DELTA snapshot needs a base; no snapshot exists yet");
        }
        long base = kind == SnapshotKind.FULL ? meta.lastIncludedIndex() : chain.get(0).meta().lastIncludedIndex();
        long previous = kind == SnapshotKind.FULL ? -1 : latest;
        Path fin = dir.resolve(PartFormat.name(meta.lastIncludedIndex(), kind));
        Path tmp = dir.resolve(fin.getFileName() + TMP);
        io.delete(tmp);
        FileHandle h = io.open(tmp, true);
        ByteBuffer header = PartFormat.encodeHeader(kind, meta, base, previous);
        try {
            h.write(header, 0);
        } catch (IOException e) {
            h.close();
            io.delete(tmp);
            throw e;
        }
        return new Writer(meta, kind, tmp, fin, h, header.limit());
    }

    private synchronized void publish(StoredPart part, long expectedLatest) {
        long latest = chain.isEmpty() ? -1 : chain.get(chain.size() - 1).meta().lastIncludedIndex();
        if (latest != expectedLatest) {
            throw new IllegalStateException("another snapshot was committed meanwhile");
        }
        live.put(part.path, part);
        if (part.kind() == SnapshotKind.FULL) {
            for (StoredPart old : chain) {
                old.superseded = true;
                maybeDelete(old);
            }
            chain = List.of(part);
        } else {
            List<StoredPart> next = new ArrayList<>(chain);
            next.add(part);
            chain = List.copyOf(next);
        }
    }

    private void maybeDelete(StoredPart p) {
        if (p.superseded && p.readers == 0 && live.remove(p.path) != null) {
            try {
                io.delete(p.path);
                io.syncDirectory(dir);
            } catch (IOException e) {
                LOG.warn("could not delete superseded snapshot part {}; the next open deletes it", p.path, e);
            }
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
            maybeDelete(p);
        }
    }

    /**
     * Returns the part files currently on disk (for tests and tools).
     *
     * @return the number of committed part files kept
     */
    public synchronized int storedParts() {
        return live.size();
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.INCREMENTAL_SNAPSHOTS);
    }

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

    private final class Writer implements SnapshotWriter {
        private final SnapshotMeta meta;
        private final SnapshotKind kind;
        private final Path tmp;
        private final Path fin;
        private final FileHandle file;
        private final int headerLength;
        private final long expectedLatest;
        private final byte[] block = new byte[PartFormat.BLOCK];
        private int fill;
        private long pos;
        private long total;
        private int blocks;
        private boolean committed;
        private boolean closedWriter;
        private IOException broken;
        private final OutputStream out = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ensureOpen();
                while (len > 0) {
                    int n = Math.min(len, block.length - fill);
                    System.arraycopy(b, off, block, fill, n);
                    fill += n;
                    off += n;
                    len -= n;
                    if (fill == block.length) {
                        flushBlock();
                    }
                }
            }
        };

        Writer(SnapshotMeta meta, SnapshotKind kind, Path tmp, Path fin, FileHandle file, int headerLength) {
            this.meta = meta;
            this.kind = kind;
            this.tmp = tmp;
            this.fin = fin;
            this.file = file;
            this.headerLength = headerLength;
            this.pos = headerLength;
            synchronized (FileSnapshotStore.this) {
                this.expectedLatest = chain.isEmpty() ? -1 : chain.get(chain.size() - 1).meta().lastIncludedIndex();
            }
        }

        private void ensureOpen() throws IOException {
            if (committed || closedWriter) {
                throw new IOException("snapshot writer for " + fin + " is already committed or closed");
            }
            if (broken != null) {
                throw broken;
            }
        }

        private void flushBlock() throws IOException {
            if (fill == 0) {
                return;
            }
            ByteBuffer b = ByteBuffer.allocate(8 + fill);
            b.putInt(fill).putInt(PartFormat.crc(block, 0, fill)).put(block, 0, fill).flip();
            try {
                file.write(b, pos);
            } catch (IOException e) {
                broken = e;
                throw e;
            }
            pos += 8 + fill;
            total += fill;
            blocks++;
            fill = 0;
        }

        @Override
        public SnapshotMeta meta() {
            return meta;
        }

        @Override
        public OutputStream output() {
            return out;
        }

        @Override
        public void commit() throws IOException {
            ensureOpen();
            flushBlock();
            ByteBuffer end = ByteBuffer.allocate(20);
            end.putInt(0).putInt(blocks).putLong(total);
            end.putInt(PartFormat.crc(end.array(), 4, 12)).flip();
            file.write(end, pos);
            file.force(true);
            file.close();
            io.rename(tmp, fin);
            io.syncDirectory(dir);
            committed = true;
            publish(new StoredPart(fin, new PartFormat.Header(kind, meta,
                    kind == SnapshotKind.FULL ? meta.lastIncludedIndex() : 0, 0, headerLength), total), expectedLatest);
        }

        @Override
        public void close() throws IOException {
            if (closedWriter || committed) {
                closedWriter = true;
                return;
            }
            closedWriter = true;
            file.close();
            io.delete(tmp);
        }
    }
}
