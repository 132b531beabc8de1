package io.flotilla.testkit.mem;

import io.flotilla.SnapshotMeta;
import io.flotilla.spi.Capability;
import io.flotilla.spi.SnapshotKind;
import io.flotilla.spi.SnapshotPart;
import io.flotilla.spi.SnapshotReader;
import io.flotilla.spi.SnapshotStore;
import io.flotilla.spi.SnapshotWriter;
import io.flotilla.spi.StorageFullException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The snapshot view of a {@link MemStorage}. Committed chains are immutable lists, so a reader keeps its chain
 * however many snapshots are committed after it was opened. A FULL part at the latest index is a merge: its
 * commit replaces the whole chain in one step (a single reference assignment under the node's lock). A writer
 * whose chain was replaced before its commit (possible only if the caller breaks the one-writer rule) fails its
 * commit with an {@link IOException} and publishes nothing.
 */
final class MemSnapshotStore implements SnapshotStore {
    /** Lets the owning storage veto calls once it failed. */
    interface FailureCheck {
        void check() throws IOException;
    }

    private static final Set<Capability> CAPS =
            Set.copyOf(EnumSet.of(Capability.VOLATILE, Capability.INCREMENTAL_SNAPSHOTS));

    private final MemData data;
    private final FailureCheck failureCheck;
    private volatile boolean closed;

    MemSnapshotStore(MemData data, FailureCheck failureCheck) {
        this.data = data;
        this.failureCheck = failureCheck;
    }

    @Override
    public Optional<SnapshotMeta> latest() throws IOException {
        synchronized (data) {
            checkOpen();
            List<MemSnapshotPart> chain = data.chain;
            return chain.isEmpty() ? Optional.empty() : Optional.of(chain.get(chain.size() - 1).meta());
        }
    }

    @Override
    public SnapshotWriter create(SnapshotMeta meta, SnapshotKind kind) throws IOException {
        Objects.requireNonNull(meta, "meta");
        Objects.requireNonNull(kind, "kind");
        synchronized (data) {
            checkOpen();
            checkCanCreate(meta, kind);
            return new Writer(meta, kind, data.chain);
        }
    }

    @Override
    public Optional<SnapshotReader> openLatest() throws IOException {
        synchronized (data) {
            checkOpen();
            List<MemSnapshotPart> chain = data.chain;
            if (chain.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Reader(chain));
        }
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPS;
    }

    @Override
    public void close() {
        closed = true;
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("snapshot store of " + data.self + " is closed");
        }
        failureCheck.check();
    }

    /**
     * Checks the index and chain rules of {@link SnapshotStore#create}: a FULL part above the latest index starts a
     * new chain, a FULL part at the latest index is a merge that replaces the chain, a DELTA goes above the latest
     * index of an existing chain. Caller holds the lock.
     */
    private void checkCanCreate(SnapshotMeta meta, SnapshotKind kind) {
        List<MemSnapshotPart> chain = data.chain;
        long latest = chain.isEmpty() ? -1 : chain.get(chain.size() - 1).meta().lastIncludedIndex();
        long index = meta.lastIncludedIndex();
        if (kind == SnapshotKind.DELTA && chain.isEmpty()) {
            throw new IllegalArgumentException("a DELTA snapshot needs a base, and there is no snapshot yet");
        }
        if (index < latest || (index == latest && kind == SnapshotKind.DELTA)) {
            throw new IllegalArgumentException("snapshot index " + index + " is not above the latest snapshot's "
                    + latest + (index == latest ? " (only a FULL part may merge the chain at its own index)" : ""));
        }
    }

    /**
     * Checks at commit that the writer still applies: a new FULL chain must still be above the latest index; a
     * DELTA or a merge must still apply to exactly the chain it was created on. Caller holds the lock.
     */
    private void checkCanCommit(SnapshotMeta meta, SnapshotKind kind, List<MemSnapshotPart> createdOn)
            throws IOException {
        List<MemSnapshotPart> chain = data.chain;
        long latest = chain.isEmpty() ? -1 : chain.get(chain.size() - 1).meta().lastIncludedIndex();
        long createdLatest = createdOn.isEmpty() ? -1 : createdOn.get(createdOn.size() - 1).meta().lastIncludedIndex();
        boolean newChain = kind == SnapshotKind.FULL && meta.lastIncludedIndex() > createdLatest;
        if (newChain ? meta.lastIncludedIndex() <= latest : chain != createdOn) {
            throw new IOException("cannot commit the " + kind + " snapshot at " + meta.lastIncludedIndex()
                    + ": another snapshot was committed since it was created (latest is now " + latest + ")");
        }
    }

    private final class Writer implements SnapshotWriter {
        private final SnapshotMeta meta;
        private final SnapshotKind kind;
        private final List<MemSnapshotPart> createdOn; // the chain current at create(); identity is compared
        private final List<byte[]> chunks = new ArrayList<>();
        private long size;
        private boolean done; // committed or discarded
        private final OutputStream out = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                if (done) {
                    throw new IOException("snapshot writer is closed");
                }
                while (len > 0) {
                    int at = (int) (size % MemSnapshotPart.CHUNK);
                    if (at == 0) {
                        chunks.add(new byte[MemSnapshotPart.CHUNK]);
                    }
                    byte[] chunk = chunks.get(chunks.size() - 1);
                    int n = Math.min(len, chunk.length - at);
                    System.arraycopy(b, off, chunk, at, n);
                    off += n;
                    len -= n;
                    size += n;
                }
            }
        };

        Writer(SnapshotMeta meta, SnapshotKind kind, List<MemSnapshotPart> createdOn) {
            this.meta = meta;
            this.kind = kind;
            this.createdOn = createdOn;
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
            if (done) {
                throw new IOException("snapshot writer is already committed or closed");
            }
            synchronized (data) {
                checkOpen();
                if (data.full) {
                    throw new StorageFullException("mem storage of " + data.self + " is full", null);
                }
                checkCanCommit(meta, kind, createdOn);
                List<byte[]> exact = new ArrayList<>(chunks);
                int tail = (int) (size % MemSnapshotPart.CHUNK);
                if (tail != 0) {
                    exact.set(exact.size() - 1, java.util.Arrays.copyOf(exact.get(exact.size() - 1), tail));
                }
                MemSnapshotPart part = new MemSnapshotPart(kind, meta, exact, size);
                if (kind == SnapshotKind.FULL) {
                    data.chain = List.of(part); // a new chain, or a merge replacing the chain at the same index
                } else {
                    List<MemSnapshotPart> next = new ArrayList<>(data.chain);
                    next.add(part);
                    data.chain = List.copyOf(next);
                }
                done = true;
            }
        }

        @Override
        public void close() {
            if (!done) {
                done = true;
                chunks.clear();
            }
        }
    }

    private static final class Reader implements SnapshotReader {
        private final List<SnapshotPart> parts;

        Reader(List<MemSnapshotPart> chain) {
            this.parts = List.copyOf(chain);
        }

        @Override
        public SnapshotMeta meta() {
            return parts.get(parts.size() - 1).meta();
        }

        @Override
        public List<SnapshotPart> parts() {
            return parts;
        }

        @Override
        public void close() {
            // Nothing to release: committed parts are immutable and garbage-collected when unreachable.
        }
    }
}
