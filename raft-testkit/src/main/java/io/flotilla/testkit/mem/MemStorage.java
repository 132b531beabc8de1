package io.flotilla.testkit.mem;

import io.flotilla.HardState;
import io.flotilla.LogEntry;
import io.flotilla.NodeId;
import io.flotilla.spi.Capability;
import io.flotilla.spi.LogStore;
import io.flotilla.spi.SnapshotStore;
import io.flotilla.spi.StateStore;
import io.flotilla.spi.Storage;
import io.flotilla.spi.StorageFullException;
import io.flotilla.spi.StoreFailedException;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A node's log, hard state and snapshots, all in memory: the reference {@link Storage} that the core's
 * simulator and cluster tests run on, and that passes every store contract of this kit.
 *
 * <p>A {@code MemStorage} is a <em>view</em> over data that outlives it. {@link #reopen()} closes the view and
 * returns a new one over the same data, which models a process restart: everything a write call returned from
 * survives (there is no un-flushed state in memory). Use {@link #create(NodeId)} for a fresh node.
 *
 * <h2>Failure injection</h2>
 * {@link #failNextWrite(IOException)} makes the next log or state write throw the given error; the view then
 * stays failed and every later call on its stores throws {@link StoreFailedException} (like a store after a
 * failed {@code fsync}), until {@link #reopen()}. {@link #setFull(boolean)} makes writes throw
 * {@link StorageFullException} and change nothing, until it is cleared; it belongs to the data, so it survives
 * a reopen. {@link #damageSnapshotPart(int, long)} damages stored snapshot data, which then fails its checksum.
 *
 * <h2>Threading, blocking, durability</h2>
 * Thread-safe: every operation takes one lock per node, so reads may run concurrently with writes
 * ({@link Capability#CONCURRENT_READS}). Nothing blocks on I/O. Data is {@link Capability#VOLATILE}: it lives
 * as long as the objects are reachable. Append is amortised O(1); a read copies only the references of the
 * entries it returns.
 *
 * <h2>Example</h2>
 * <pre>{@code
 * MemStorage storage = MemStorage.create(NodeId.of("n1"));
 * storage.log().append(List.of(LogEntry.noOp(1, 1)));
 * MemStorage restarted = storage.reopen();   // storage is closed; restarted sees entry 1
 * }</pre>
 */
public final class MemStorage implements Storage {
    private static final Set<Capability> CAPABILITIES = Set.copyOf(
            EnumSet.of(Capability.VOLATILE, Capability.CONCURRENT_READS, Capability.INCREMENTAL_SNAPSHOTS));
    private static final Set<Capability> STATE_CAPABILITIES = Set.of(Capability.VOLATILE);

    private final MemData data;
    private final LogView log = new LogView();
    private final StateView state = new StateView();
    private final MemSnapshotStore snapshots;
    // Set once by the first failed write; every later call of this view's stores fails with it as the cause.
    private volatile IOException failure;

    private MemStorage(MemData data) {
        this.data = data;
        this.snapshots = new MemSnapshotStore(data, this::checkNotFailed);
    }

    /**
     * Returns empty storage for a new node.
     *
     * @param self the node the storage serves, used in messages
     * @return fresh, empty storage
     */
    public static MemStorage create(NodeId self) {
        return new MemStorage(new MemData(Objects.requireNonNull(self, "self")));
    }

    /**
     * Closes this view (if it is not already closed) and returns a new view over the same data, as after a
     * process restart. The new view is not failed, even if this one was.
     *
     * @return a new storage view over the same data
     */
    public MemStorage reopen() {
        close();
        return new MemStorage(data);
    }

    /**
     * Makes the next log or state write (append, truncateSuffix, compactPrefix, save) fail with {@code e},
     * without changing anything; the view then stays failed ({@link StoreFailedException} on every call).
     * Thread-safe.
     *
     * @param e the error to throw
     */
    public void failNextWrite(IOException e) {
        Objects.requireNonNull(e, "e");
        synchronized (data) {
            data.pendingFailure = e;
        }
    }

    /**
     * Makes every write (log, state, snapshot commit) throw {@link StorageFullException} and change nothing,
     * or lifts that. The setting belongs to the data and survives {@link #reopen()}. Thread-safe.
     *
     * @param full whether the "disk" is full
     */
    public void setFull(boolean full) {
        synchronized (data) {
            data.full = full;
        }
    }

    /**
     * Damages the stored data of one part of the latest snapshot chain, as a bad disk sector would: flips one bit.
     * Every later read of the damaged 64 KiB chunk, also through readers already open, fails with
     * {@link io.flotilla.spi.CorruptedStoreException}. The damage belongs to the data, so it survives
     * {@link #reopen()}. Thread-safe.
     *
     * @param part the position of the part in the latest chain, 0 being the FULL base
     * @param offset the byte offset within the part's data
     * @throws IllegalArgumentException if there is no such part or offset
     */
    public void damageSnapshotPart(int part, long offset) {
        synchronized (data) {
            if (part < 0 || part >= data.chain.size()) {
                throw new IllegalArgumentException("no snapshot part " + part + " in a chain of " + data.chain.size());
            }
            data.chain.get(part).damage(offset);
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

    /** Returns {@link Capability#VOLATILE}, {@link Capability#CONCURRENT_READS} and
     * {@link Capability#INCREMENTAL_SNAPSHOTS}. */
    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    /** Closes the three stores; idempotent; the data stays available to {@link #reopen()}. */
    @Override
    public void close() {
        log.closed = true;
        state.closed = true;
        snapshots.close();
    }

    @Override
    public String toString() {
        return "MemStorage[" + data.self + "]";
    }

    private void checkNotFailed() throws StoreFailedException {
        IOException f = failure;
        if (f != null) {
            throw new StoreFailedException("mem storage of " + data.self + " failed earlier", f);
        }
    }

    /** Runs the write checks in order: open, not failed, not full, injected failure. Caller holds the lock. */
    private void beforeWrite(boolean closed, String what) throws IOException {
        checkOpen(closed, what);
        if (data.full) {
            throw new StorageFullException("mem storage of " + data.self + " is full", null);
        }
        IOException injected = data.takePendingFailure();
        if (injected != null) {
            failure = injected;
            throw injected;
        }
    }

    private void checkOpen(boolean closed, String what) throws IOException {
        if (closed) {
            throw new IOException(what + " of " + data.self + " is closed");
        }
        checkNotFailed();
    }

    private final class LogView implements LogStore {
        private final Set<Capability> caps = Set.copyOf(EnumSet.of(Capability.VOLATILE, Capability.CONCURRENT_READS));
        volatile boolean closed;

        @Override
        public long firstIndex() throws IOException {
            synchronized (data) {
                checkOpen(closed, "log");
                return data.log.firstIndex();
            }
        }

        @Override
        public long lastIndex() throws IOException {
            synchronized (data) {
                checkOpen(closed, "log");
                return data.log.lastIndex();
            }
        }

        @Override
        public long term(long index) throws IOException {
            synchronized (data) {
                checkOpen(closed, "log");
                return data.log.term(index);
            }
        }

        @Override
        public List<LogEntry> entries(long fromIndex, long toIndex, long maxBytes) throws IOException {
            synchronized (data) {
                checkOpen(closed, "log");
                return data.log.entries(fromIndex, toIndex, maxBytes);
            }
        }

        @Override
        public void append(List<LogEntry> entries) throws IOException {
            synchronized (data) {
                checkOpen(closed, "log");
                if (entries.isEmpty()) {
                    return;
                }
                data.log.checkContinues(entries);
                beforeWrite(closed, "log");
                data.log.append(entries);
            }
        }

        @Override
        public void truncateSuffix(long fromIndex) throws IOException {
            synchronized (data) {
                checkOpen(closed, "log");
                long first = data.log.firstIndex();
                long last = data.log.lastIndex();
                if (fromIndex < first || fromIndex > last + 1) {
                    throw new IllegalArgumentException("truncateSuffix index " + fromIndex + " outside ["
                            + first + ", " + (last + 1) + "]");
                }
                beforeWrite(closed, "log");
                data.log.truncateSuffix(fromIndex);
            }
        }

        @Override
        public void compactPrefix(long throughIndex) throws IOException {
            synchronized (data) {
                checkOpen(closed, "log");
                if (throughIndex < 0) {
                    throw new IllegalArgumentException("throughIndex must be >= 0, got " + throughIndex);
                }
                beforeWrite(closed, "log");
                data.log.compactPrefix(throughIndex);
            }
        }

        @Override
        public Set<Capability> capabilities() {
            return caps;
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public String toString() {
            return "MemStorage.log[" + data.self + "]";
        }
    }

    private final class StateView implements StateStore {
        volatile boolean closed;

        @Override
        public HardState load() throws IOException {
            synchronized (data) {
                checkOpen(closed, "state store");
                return data.hardState;
            }
        }

        @Override
        public void save(HardState hardState) throws IOException {
            Objects.requireNonNull(hardState, "state");
            synchronized (data) {
                beforeWrite(closed, "state store");
                data.hardState = hardState;
            }
        }

        /** Returns {@link Capability#VOLATILE}: the state lives in this JVM only. */
        @Override
        public Set<Capability> capabilities() {
            return STATE_CAPABILITIES;
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public String toString() {
            return "MemStorage.state[" + data.self + "]";
        }
    }
}
