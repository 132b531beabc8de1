package io.flotilla.store.file.internal.io;

import io.flotilla.spi.StorageFullException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * An in-memory disk that tracks what is durable, for fault injection and crash-state exploration.
 *
 * <h2>Model</h2>
 * Each file has live bytes (what reads see) and durable bytes (what survives a crash). Writes and truncations
 * are queued as <em>pending</em> until {@link FileHandle#force} of that file; names created, renamed or deleted
 * become durable at {@link #syncDirectory} of their directory. {@link #crash} builds the disk after a power
 * failure: the durable state plus the first {@code k} pending operations (in issue order), the next one torn
 * after a number of whole {@value #SECTOR}-byte sectors (sector writes are atomic).
 *
 * <h2>Faults</h2>
 * {@link #failForce}, {@link #failWrite} and {@link #failRead} make matching operations throw EIO; a failed
 * force drops the file's pending writes from the durable future, as Linux does (fsyncgate). A
 * {@linkplain #SimFileIO(long) capacity} makes growing writes fail with {@link StorageFullException} without
 * writing anything. {@link #flipBit}, {@link #zero} and {@link #truncateAtRest} damage data at rest.
 *
 * <p>Thread-safe (every method is synchronized); deterministic.
 */
public final class SimFileIO implements FileIO {
    /** The atomic write unit. */
    public static final int SECTOR = 512;

    private long capacity;
    private final Map<String, Inode> live = new TreeMap<>();
    private final Map<String, Inode> durableNames = new HashMap<>();
    private final Set<String> dirs = new HashSet<>();
    private final List<Pending> pending = new ArrayList<>();
    private Predicate<Path> failForce = p -> false;
    private Predicate<Path> failWrite = p -> false;
    private Predicate<Path> failRead = p -> false;
    private Consumer<String> listener = op -> {};
    private long ops;

    /** Creates an empty disk of unlimited capacity. */
    public SimFileIO() {
        this(Long.MAX_VALUE);
    }

    /**
     * Creates an empty disk.
     *
     * @param capacityBytes the total file bytes it holds before writes fail with ENOSPC
     */
    public SimFileIO(long capacityBytes) {
        this.capacity = capacityBytes;
    }

    private static final class Inode {
        String path;
        byte[] data = new byte[0];
        int len;
        byte[] durable = new byte[0];
        int durableLen;
    }

    private static final class Pending {
        final Inode inode;
        final long pos;
        final byte[] bytes; // null: a truncation to pos

        Pending(Inode inode, long pos, byte[] bytes) {
            this.inode = inode;
            this.pos = pos;
            this.bytes = bytes;
        }
    }

    private static String key(Path p) {
        return p.toAbsolutePath().normalize().toString();
    }

    private static String parent(String key) {
        int i = key.lastIndexOf('/');
        return i <= 0 ? "/" : key.substring(0, i);
    }

    /**
     * Sets a callback run after every mutating operation (write, truncate, force, create, rename, delete,
     * directory sync), with a short description; crash-state exploration builds crash states from it.
     *
     * @param listener the callback
     */
    public synchronized void onOperation(Consumer<String> listener) {
        this.listener = listener;
    }

    /**
     * Changes the capacity, e.g. to free space after a disk-full test.
     *
     * @param capacityBytes the new capacity
     */
    public synchronized void setCapacity(long capacityBytes) {
        this.capacity = capacityBytes;
    }

    /**
     * Returns the bytes held by all files.
     *
     * @return the used bytes
     */
    public synchronized long usedBytes() {
        return used();
    }

    /**
     * Makes {@code force} of matching files fail with EIO.
     *
     * @param which the files
     */
    public synchronized void failForce(Predicate<Path> which) {
        this.failForce = which;
    }

    /**
     * Makes writes to matching files fail with EIO, writing nothing.
     *
     * @param which the files
     */
    public synchronized void failWrite(Predicate<Path> which) {
        this.failWrite = which;
    }

    /**
     * Makes reads of matching files fail with EIO.
     *
     * @param which the files
     */
    public synchronized void failRead(Predicate<Path> which) {
        this.failRead = which;
    }

    /**
     * Returns the number of mutating operations so far.
     *
     * @return the count
     */
    public synchronized long operations() {
        return ops;
    }

    /**
     * Returns the number of operations not yet durable (writes and truncations awaiting a force).
     *
     * @return the count
     */
    public synchronized int pendingWrites() {
        return pending.size();
    }

    /**
     * Returns how many whole-or-partial sectors a pending operation covers (1 for a truncation).
     *
     * @param i the pending operation, from 0
     * @return the number of pieces it can be torn into
     */
    public synchronized int pendingSectors(int i) {
        Pending p = pending.get(i);
        return p.bytes == null ? 1 : pieces(p.pos, p.bytes.length).size();
    }

    private void op(String what) {
        ops++;
        listener.accept(what);
    }

    private Inode inode(Path p) throws NoSuchFileException {
        Inode n = live.get(key(p));
        if (n == null) {
            throw new NoSuchFileException(p.toString());
        }
        return n;
    }

    private long used() {
        long u = 0;
        for (Inode n : live.values()) {
            u += n.len;
        }
        return u;
    }

    @Override
    public synchronized FileHandle open(Path file, boolean create) throws IOException {
        String k = key(file);
        Inode n = live.get(k);
        if (n == null) {
            if (!create) {
                throw new NoSuchFileException(file.toString());
            }
            if (!dirs.contains(parent(k))) {
                throw new NoSuchFileException(parent(k));
            }
            n = new Inode();
            n.path = k;
            live.put(k, n);
            op("create " + k);
        }
        return new Handle(n);
    }

    @Override
    public synchronized boolean exists(Path path) {
        String k = key(path);
        return live.containsKey(k) || dirs.contains(k);
    }

    @Override
    public synchronized void createDirectories(Path dir) {
        Path p = dir.toAbsolutePath().normalize();
        while (p != null) {
            dirs.add(p.toString());
            p = p.getParent();
        }
    }

    @Override
    public synchronized List<String> list(Path dir) throws IOException {
        String d = key(dir);
        if (!dirs.contains(d)) {
            throw new NoSuchFileException(d);
        }
        List<String> names = new ArrayList<>();
        for (String k : live.keySet()) {
            if (parent(k).equals(d)) {
                names.add(k.substring(d.length() + (d.equals("/") ? 0 : 1)));
            }
        }
        names.sort(null);
        return names;
    }

    @Override
    public synchronized void delete(Path file) {
        if (live.remove(key(file)) != null) {
            op("delete " + key(file));
        }
    }

    @Override
    public synchronized void rename(Path from, Path to) throws IOException {
        Inode n = inode(from);
        if (!parent(key(from)).equals(parent(key(to)))) {
            throw new FileAlreadyExistsException("rename across directories is not modelled: " + from + " -> " + to);
        }
        live.remove(key(from));
        n.path = key(to);
        live.put(key(to), n);
        op("rename " + key(from) + " -> " + key(to));
    }

    @Override
    public synchronized void syncDirectory(Path dir) throws IOException {
        String d = key(dir);
        if (!dirs.contains(d)) {
            throw new NoSuchFileException(d);
        }
        durableNames.keySet().removeIf(k -> parent(k).equals(d));
        for (Map.Entry<String, Inode> e : live.entrySet()) {
            if (parent(e.getKey()).equals(d)) {
                durableNames.put(e.getKey(), e.getValue());
            }
        }
        op("dirsync " + d);
    }

    // ---- damage at rest (both live and durable copies) ----

    /**
     * Flips one bit of a file at rest.
     *
     * @param file the file
     * @param offset the byte offset
     * @param bit the bit, 0 to 7
     * @throws IOException if the file does not exist or the offset is outside it
     */
    public synchronized void flipBit(Path file, long offset, int bit) throws IOException {
        mutate(file, b -> b[(int) offset] ^= (byte) (1 << bit), offset + 1);
    }

    /**
     * Overwrites a range of a file at rest with zeros.
     *
     * @param file the file
     * @param offset the first byte
     * @param length the number of bytes (clipped to the file)
     * @throws IOException if the file does not exist
     */
    public synchronized void zero(Path file, long offset, int length) throws IOException {
        Inode n = inode(file);
        int end = (int) Math.min(n.len, offset + length);
        mutate(file, b -> Arrays.fill(b, (int) Math.min(offset, end), end, (byte) 0), 0);
    }

    /**
     * Cuts a file at rest.
     *
     * @param file the file
     * @param size the new size
     * @throws IOException if the file does not exist
     */
    public synchronized void truncateAtRest(Path file, long size) throws IOException {
        Inode n = inode(file);
        n.len = (int) Math.min(n.len, size);
        n.durableLen = (int) Math.min(n.durableLen, size);
    }

    /**
     * Returns a copy of a file's live bytes.
     *
     * @param file the file
     * @return the bytes
     * @throws IOException if the file does not exist
     */
    public synchronized byte[] contents(Path file) throws IOException {
        Inode n = inode(file);
        return Arrays.copyOf(n.data, n.len);
    }

    private void mutate(Path file, Consumer<byte[]> change, long minLen) throws IOException {
        Inode n = inode(file);
        if (n.len < minLen) {
            throw new IOException("offset outside " + file + " (size " + n.len + ")");
        }
        byte[] liveCopy = Arrays.copyOf(n.data, n.len);
        change.accept(liveCopy);
        n.data = liveCopy;
        if (n.durableLen == n.len) {
            n.durable = Arrays.copyOf(liveCopy, n.len);
        }
    }

    // ---- crash ----

    /**
     * Builds the disk a power failure would leave now: durable data and names, plus the first
     * {@code keepPending} pending operations, the next one torn after {@code tornPieces} sector pieces.
     *
     * @param keepPending how many pending operations survive whole, from 0 to {@link #pendingWrites()}
     * @param tornPieces how many leading sector pieces of the following operation survive (0 for none)
     * @param keepUnsyncedNames whether names not yet made durable by a directory sync survive too
     * @return a new, independent disk with no pending operations
     */
    public synchronized SimFileIO crash(int keepPending, int tornPieces, boolean keepUnsyncedNames) {
        SimFileIO c = new SimFileIO(capacity);
        c.dirs.addAll(dirs);
        Map<Inode, Inode> copies = new IdentityHashMap<>();
        Set<Inode> all = new java.util.LinkedHashSet<>(durableNames.values());
        all.addAll(live.values());
        for (Inode n : all) {
            Inode m = new Inode();
            m.data = Arrays.copyOf(n.durable, n.durableLen);
            m.len = n.durableLen;
            copies.put(n, m);
        }
        for (int i = 0; i < pending.size() && i <= keepPending; i++) {
            Pending p = pending.get(i);
            Inode m = copies.get(p.inode);
            if (m == null) {
                continue;
            }
            if (i < keepPending) {
                apply(m, p, Integer.MAX_VALUE);
            } else if (tornPieces > 0) {
                apply(m, p, tornPieces);
            }
        }
        Map<String, Inode> names = keepUnsyncedNames ? live : durableNames;
        for (Map.Entry<String, Inode> e : names.entrySet()) {
            Inode m = copies.get(e.getValue());
            m.path = e.getKey();
            m.durable = Arrays.copyOf(m.data, m.len);
            m.durableLen = m.len;
            c.live.put(e.getKey(), m);
            c.durableNames.put(e.getKey(), m);
        }
        return c;
    }

    private static List<long[]> pieces(long pos, int len) {
        List<long[]> out = new ArrayList<>();
        long p = pos;
        long end = pos + len;
        while (p < end) {
            long next = Math.min(end, (p / SECTOR + 1) * SECTOR);
            out.add(new long[] {p, next});
            p = next;
        }
        return out;
    }

    private static void apply(Inode m, Pending p, int maxPieces) {
        if (p.bytes == null) {
            m.len = (int) Math.min(m.len, p.pos);
            return;
        }
        List<long[]> ps = pieces(p.pos, p.bytes.length);
        for (int i = 0; i < ps.size() && i < maxPieces; i++) {
            long[] r = ps.get(i);
            writeInto(m, r[0], p.bytes, (int) (r[0] - p.pos), (int) (r[1] - r[0]));
        }
    }

    private static void writeInto(Inode m, long pos, byte[] src, int off, int len) {
        int end = (int) (pos + len);
        if (end > m.data.length) {
            m.data = Arrays.copyOf(m.data, Math.max(end, m.data.length * 2));
        }
        if (pos > m.len) {
            Arrays.fill(m.data, m.len, (int) pos, (byte) 0);
        }
        System.arraycopy(src, off, m.data, (int) pos, len);
        m.len = Math.max(m.len, end);
    }

    private final class Handle implements FileHandle {
        private final Inode n;
        private boolean closed;

        Handle(Inode n) {
            this.n = n;
        }

        private Path path() {
            return Path.of(n.path);
        }

        private void check() throws IOException {
            if (closed) {
                throw new java.nio.channels.ClosedChannelException();
            }
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            synchronized (SimFileIO.this) {
                check();
                if (failRead.test(path())) {
                    throw new IOException("EIO (simulated) reading " + n.path);
                }
                if (position >= n.len) {
                    return -1;
                }
                int k = (int) Math.min(dst.remaining(), n.len - position);
                dst.put(n.data, (int) position, k);
                return k;
            }
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            synchronized (SimFileIO.this) {
                check();
                if (failWrite.test(path())) {
                    throw new IOException("EIO (simulated) writing " + n.path);
                }
                int len = src.remaining();
                long growth = Math.max(0, position + len - n.len);
                if (growth > 0 && used() + growth > capacity) {
                    throw new StorageFullException("no space left writing " + n.path + " (simulated ENOSPC)", null);
                }
                byte[] b = new byte[len];
                src.get(b);
                writeInto(n, position, b, 0, len);
                pending.add(new Pending(n, position, b));
                op("write " + n.path + " @" + position + " +" + len);
            }
        }

        @Override
        public void force(boolean metadata) throws IOException {
            synchronized (SimFileIO.this) {
                check();
                if (failForce.test(path())) {
                    // fsyncgate: the kernel marks the pages clean; the data never reaches the disk.
                    pending.removeIf(p -> p.inode == n);
                    throw new IOException("EIO (simulated) on force of " + n.path);
                }
                pending.removeIf(p -> p.inode == n);
                n.durable = Arrays.copyOf(n.data, n.len);
                n.durableLen = n.len;
                op("force " + n.path);
            }
        }

        @Override
        public void truncate(long size) throws IOException {
            synchronized (SimFileIO.this) {
                check();
                if (size < n.len) {
                    n.len = (int) size;
                    pending.add(new Pending(n, size, null));
                    op("truncate " + n.path + " to " + size);
                }
            }
        }

        @Override
        public long size() throws IOException {
            synchronized (SimFileIO.this) {
                check();
                return n.len;
            }
        }

        @Override
        public void close() {
            synchronized (SimFileIO.this) {
                closed = true;
            }
        }
    }
}
