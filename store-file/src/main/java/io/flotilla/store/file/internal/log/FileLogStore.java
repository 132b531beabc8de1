package io.flotilla.store.file.internal.log;

import io.flotilla.LogEntry;
import io.flotilla.spi.Capability;
import io.flotilla.spi.CorruptedStoreException;
import io.flotilla.spi.LogCompactedException;
import io.flotilla.spi.LogStore;
import io.flotilla.spi.StorageFullException;
import io.flotilla.spi.StoreFailedException;
import io.flotilla.store.file.internal.io.FileIO;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segmented, checksummed log (format in {@link LogFormat}).
 *
 * <h2>Writes</h2>
 * One thread writes. {@link #append} encodes the whole batch into one buffer, writes it with one call per
 * segment touched and flushes each touched segment once ({@code fdatasync}; segments are preallocated, so no
 * metadata changes): group commit. New segments are prepared under a temporary name (header, zero fill,
 * flush) before any record of the batch is written, so a full disk fails the call with the log unchanged.
 * A failed write or flush fails the store for good ({@link StoreFailedException} from every later call).
 *
 * <h2>Reads</h2>
 * Readers run concurrently with the writer ({@link Capability#CONCURRENT_READS}): the in-memory summary is
 * guarded by a read-write lock held only for lookups and for publishing a finished write, never across I/O, so
 * a read never waits for a flush. Entries come from a bounded cache or from disk (checksums verified).
 *
 * <h2>Recovery</h2>
 * {@link #open} verifies every record of every segment; see {@link SegmentScanner#classifyTail} for the one
 * repair it makes (a torn last write). Everything else that fails a check is a {@link CorruptedStoreException}.
 */
public final class FileLogStore implements LogStore {
    private static final Logger LOG = LoggerFactory.getLogger(FileLogStore.class);

    private final FileIO io;
    private final Path dir;
    private final int segmentBytes;
    private final String owner;
    private final EntryCache cache;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    // Invariant (under lock): segments sorted, contiguous: segments[k+1].firstIndex == segments[k].lastIndex + 1.
    private final List<Segment> segments = new ArrayList<>();
    private volatile IOException failure;
    private volatile boolean closed;
    private ByteBuffer writeBuf = ByteBuffer.allocateDirect(1 << 20);
    private final SegmentFiles files;

    private FileLogStore(FileIO io, Path dir, int segmentBytes, long cacheBytes, String owner, Executor preallocator) {
        this.files = new SegmentFiles(io, dir, segmentBytes, owner, preallocator);
        this.io = io;
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.owner = owner;
        this.cache = new EntryCache(cacheBytes);
    }

    /**
     * Opens (creating if absent) the log in a directory, verifying every record and repairing a torn tail.
     *
     * @param io the file system
     * @param dir the directory holding the segments
     * @param segmentBytes the size of new segments
     * @param cacheBytes the entry cache budget
     * @param owner a name for log lines (the node id)
     * @return the open log
     * @throws CorruptedStoreException if any data fails its checks beyond a torn tail
     * @throws IOException if reading failed
     */
    public static FileLogStore open(FileIO io, Path dir, int segmentBytes, long cacheBytes, String owner)
            throws IOException {
        return open(io, dir, segmentBytes, cacheBytes, owner, null);
    }

    /**
     * Opens the log as {@link #open(FileIO, Path, int, long, String)} does, and keeps one spare segment file
     * zero-filled ahead of time by {@code preallocator}, so that an append that needs a new segment only writes its
     * header instead of filling a whole segment with zeros.
     *
     * @param io the file system
     * @param dir the directory holding the segments
     * @param segmentBytes the size of new segments
     * @param cacheBytes the entry cache budget
     * @param owner a name for log lines (the node id)
     * @param preallocator runs the zero fill of the spare segment (a background thread; a direct executor in
     *     deterministic tests), or null for none
     * @return the open log
     * @throws CorruptedStoreException if any data fails its checks beyond a torn tail
     * @throws IOException if reading failed
     */
    public static FileLogStore open(FileIO io, Path dir, int segmentBytes, long cacheBytes, String owner,
            Executor preallocator) throws IOException {
        FileLogStore s = new FileLogStore(io, dir, segmentBytes, cacheBytes, owner, preallocator);
        try {
            s.segments.addAll(s.files.recover());
        } catch (IOException | RuntimeException e) {
            s.closeFiles();
            throw e;
        }
        s.files.scheduleSpare();
        return s;
    }

    // ---------------------------------------------------------------- reads

    private void checkUsable() throws IOException {
        IOException f = failure;
        if (f != null) {
            throw new StoreFailedException("log store in " + dir + " failed earlier: " + f.getMessage(), f);
        }
        if (closed) {
            throw new IOException("log store in " + dir + " is closed");
        }
    }

    @Override
    public long firstIndex() throws IOException {
        checkUsable();
        lock.readLock().lock();
        try {
            return segments.get(0).firstIndex;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public long lastIndex() throws IOException {
        checkUsable();
        lock.readLock().lock();
        try {
            return segments.get(segments.size() - 1).lastIndex;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Returns the segment holding an index; caller holds the lock and has checked the range. */
    private Segment find(long index) {
        int lo = 0;
        int hi = segments.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (segments.get(mid).firstIndex <= index) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return segments.get(lo);
    }

    @Override
    public long term(long index) throws IOException {
        checkUsable();
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, got " + index);
        }
        if (index == 0) {
            return 0;
        }
        lock.readLock().lock();
        try {
            long first = segments.get(0).firstIndex;
            long last = segments.get(segments.size() - 1).lastIndex;
            if (index < first) {
                throw new LogCompactedException(index, first);
            }
            if (index > last) {
                throw new IllegalArgumentException("index " + index + " is beyond the last index " + last);
            }
            return find(index).term(index);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<LogEntry> entries(long fromIndex, long toIndex, long maxBytes) throws IOException {
        checkUsable();
        long first;
        long last;
        lock.readLock().lock();
        try {
            first = segments.get(0).firstIndex;
            last = segments.get(segments.size() - 1).lastIndex;
        } finally {
            lock.readLock().unlock();
        }
        if (toIndex < fromIndex || toIndex > last + 1) {
            throw new IllegalArgumentException("range [" + fromIndex + ", " + toIndex + ") is not within [" + first
                    + ", " + (last + 1) + "]");
        }
        if (fromIndex < first) {
            throw new LogCompactedException(fromIndex, first);
        }
        List<LogEntry> out = new ArrayList<>();
        long used = 0;
        long i = fromIndex;
        while (i < toIndex) {
            LogEntry e = cache.get(i);
            List<LogEntry> run = e != null ? List.of(e) : readRun(i, toIndex, maxBytes - used);
            for (LogEntry r : run) {
                if (!out.isEmpty() && used + r.sizeBytes() > maxBytes) {
                    return out;
                }
                out.add(r);
                used += r.sizeBytes();
                i++;
            }
        }
        return out;
    }

    /** Reads consecutive entries from {@code index} within one segment, verifying checksums. */
    private List<LogEntry> readRun(long index, long toIndex, long budget) throws IOException {
        Segment s;
        long[] point;
        long segLast;
        lock.readLock().lock();
        try {
            s = find(index);
            point = s.floorPoint(index);
            segLast = s.lastIndex;
        } finally {
            lock.readLock().unlock();
        }
        return files.read(s, point, index, Math.min(toIndex - 1, segLast), budget, cache);
    }

    // ---------------------------------------------------------------- writes

    private StoreFailedException fail(String what, IOException e) {
        if (failure == null) {
            failure = e;
            LOG.error("{}: log store failed permanently: {}", owner, what, e);
        }
        return new StoreFailedException(what, e);
    }

    @Override
    public void append(List<LogEntry> entries) throws IOException {
        try {
            doAppend(entries);
        } finally {
            if (!files.hasSpare() && failure == null && !closed) {
                files.scheduleSpare();
            }
        }
    }

    private void doAppend(List<LogEntry> entries) throws IOException {
        checkUsable();
        if (entries.isEmpty()) {
            return;
        }
        Segment cur = segments.get(segments.size() - 1); // the writer is the only mutator
        long next = cur.lastIndex + 1;
        long batchStart = entries.get(0).index();
        long total = LogFormat.checkBatch(entries, next);
        if (total > writeBuf.capacity()) {
            writeBuf = ByteBuffer.allocateDirect((int) Math.min(Integer.MAX_VALUE - 8, Math.max(total,
                    writeBuf.capacity() * 2L)));
        }
        // Plan: group 0 goes to the current segment, later groups to new segments.
        ByteBuffer buf = writeBuf;
        buf.clear();
        List<int[]> groups = new ArrayList<>(); // {firstEntry, endEntry, bufFrom, bufTo}
        List<Segment> targets = new ArrayList<>();
        long[] offsets = new long[entries.size()];
        int groupStart = 0;
        long pos = cur.end;
        Segment target = cur;
        int bufFrom = 0;
        List<Segment> fresh = new ArrayList<>();
        try {
            for (int k = 0; k < entries.size(); k++) {
                LogEntry e = entries.get(k);
                int size = LogFormat.recordSize(e);
                boolean targetEmpty = target.isEmpty() && k == groupStart;
                if (pos + size > target.capacity && !targetEmpty) {
                    groups.add(new int[] {groupStart, k, bufFrom, buf.position()});
                    targets.add(target);
                    long capacity = Math.max(segmentBytes, LogFormat.SEGMENT_HEADER_BYTES + (long) size);
                    Segment fromSpare = capacity == segmentBytes && fresh.isEmpty() ? files.takeSpare(e.index()) : null;
                    target = fromSpare != null ? fromSpare : files.prepareSegment(e.index(), capacity, false);
                    fresh.add(target);
                    groupStart = k;
                    bufFrom = buf.position();
                    pos = LogFormat.SEGMENT_HEADER_BYTES;
                }
                offsets[k] = pos;
                LogFormat.encodeRecord(e, batchStart, buf);
                pos += size;
            }
        } catch (StorageFullException full) {
            files.discard(fresh);
            throw full;
        } catch (IOException io) {
            files.discard(fresh);
            throw fail("preparing a new segment in " + dir + " failed", io);
        }
        groups.add(new int[] {groupStart, entries.size(), bufFrom, buf.position()});
        targets.add(target);
        for (int g = 0; g < groups.size(); g++) {
            int[] gr = groups.get(g);
            Segment t = targets.get(g);
            if (g > 0) {
                try {
                    files.publishSegment(t);
                } catch (IOException e) {
                    throw fail("publishing segment " + t.path + " failed", e);
                }
            }
            ByteBuffer slice = buf.duplicate();
            slice.limit(gr[3]).position(gr[2]);
            long at = offsets[gr[0]];
            try {
                t.file.write(slice, at);
            } catch (StorageFullException full) {
                if (g == 0) {
                    try {
                        SegmentFiles.undoWrite(t, at);
                    } catch (IOException e) {
                        throw fail("undoing a failed write to " + t.path + " failed", e);
                    }
                    files.discard(fresh);
                    throw full;
                }
                throw fail("disk full while writing the preallocated segment " + t.path, full);
            } catch (IOException e) {
                throw fail("write to " + t.path + " failed", e);
            }
            try {
                t.file.force(false);
            } catch (IOException e) {
                throw fail("flush (fdatasync) of " + t.path + " failed", e);
            }
        }
        lock.writeLock().lock();
        try {
            for (int g = 0; g < groups.size(); g++) {
                int[] gr = groups.get(g);
                Segment t = targets.get(g);
                if (g > 0) {
                    segments.add(t);
                }
                for (int k = gr[0]; k < gr[1]; k++) {
                    LogEntry e = entries.get(k);
                    t.add(e.index(), e.term(), offsets[k], LogFormat.recordSize(e));
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
        for (LogEntry e : entries) {
            cache.put(e);
        }
    }

    @Override
    public void truncateSuffix(long fromIndex) throws IOException {
        checkUsable();
        Segment first = segments.get(0);
        Segment last = segments.get(segments.size() - 1);
        if (fromIndex < first.firstIndex || fromIndex > last.lastIndex + 1) {
            throw new IllegalArgumentException("truncateSuffix index " + fromIndex + " is outside ["
                    + first.firstIndex + ", " + (last.lastIndex + 1) + "]");
        }
        if (fromIndex == last.lastIndex + 1) {
            return;
        }
        List<Segment> drop = new ArrayList<>();
        for (Segment s : segments) {
            if (s.firstIndex >= fromIndex && s != first) {
                drop.add(s);
            }
        }
        Segment holder = find(fromIndex); // the writer thread is the only mutator: no lock needed to read
        Segment target = drop.contains(holder) ? null : holder;
        long offset = -1;
        long capacity = -1;
        try {
            for (int i = drop.size() - 1; i >= 0; i--) {
                files.closeQuietly(drop.get(i));
                io.delete(drop.get(i).path);
            }
            if (!drop.isEmpty()) {
                io.syncDirectory(dir);
            }
            if (target != null) {
                offset = offsetOf(target, fromIndex);
                capacity = cutSegment(target, offset);
            }
        } catch (CorruptedStoreException e) {
            throw e;
        } catch (IOException e) {
            throw fail("truncating the log from index " + fromIndex + " failed", e);
        }
        // Publish in one step: concurrent readers see the log before or after, never in between.
        lock.writeLock().lock();
        try {
            segments.removeAll(drop);
            if (target != null) {
                target.truncateFrom(fromIndex, offset);
                target.capacity = capacity;
            }
        } finally {
            lock.writeLock().unlock();
        }
        cache.removeFrom(fromIndex);
    }

    /**
     * Removes the records of a segment from {@code offset} on. Every step keeps the file at least as long as its
     * header's preallocated size, so a crash anywhere leaves a segment that opens, and a file found shorter than
     * its header says is known to be damaged: (1) header size := offset; (2) cut the file; (3) zero-fill back to
     * the full size; (4) header size := full. Each step is flushed.
     *
     * @return the segment's capacity afterwards
     */
    private long cutSegment(Segment s, long offset) throws IOException {
        long full = s.capacity;
        int flags = s.reset ? LogFormat.FLAG_RESET : 0;
        s.file.write(LogFormat.encodeSegmentHeader(s.firstIndex, flags, offset), 0);
        s.file.force(false);
        s.file.truncate(offset);
        s.file.force(true);
        long capacity = full;
        try {
            SegmentFiles.zeroFill(s.file, offset, full);
            s.file.force(false);
            s.file.write(LogFormat.encodeSegmentHeader(s.firstIndex, flags, full), 0);
            s.file.force(false);
        } catch (StorageFullException e) {
            // Keep the short file: its header already says so; appends move on to a new segment.
            LOG.warn("{}: no space to re-extend {} after a truncation; continuing with a short segment", owner, s.path);
            s.file.truncate(offset);
            s.file.force(true);
            capacity = offset;
        }
        return capacity;
    }

    /** Finds the file offset of a record by walking from the nearest index point. */
    private long offsetOf(Segment s, long index) throws IOException {
        long[] point;
        lock.readLock().lock();
        try {
            point = s.floorPoint(index);
        } finally {
            lock.readLock().unlock();
        }
        return files.offsetOf(s, point, index);
    }

    @Override
    public void compactPrefix(long throughIndex) throws IOException {
        checkUsable();
        if (throughIndex < 0) {
            throw new IllegalArgumentException("throughIndex must be >= 0, got " + throughIndex);
        }
        Segment last = segments.get(segments.size() - 1);
        if (throughIndex >= last.lastIndex) {
            reset(throughIndex + 1);
            return;
        }
        List<Segment> drop = new ArrayList<>();
        for (int i = 0; i + 1 < segments.size() && segments.get(i + 1).firstIndex <= throughIndex + 1; i++) {
            drop.add(segments.get(i));
        }
        if (drop.isEmpty()) {
            return;
        }
        lock.writeLock().lock();
        try {
            segments.removeAll(drop);
        } finally {
            lock.writeLock().unlock();
        }
        cache.removeBefore(segments.get(0).firstIndex);
        try {
            for (Segment s : drop) {
                files.closeQuietly(s);
                io.delete(s.path);
            }
            io.syncDirectory(dir);
        } catch (IOException e) {
            throw fail("deleting compacted segments failed", e);
        }
    }

    /** Makes the log empty, starting at {@code nextIndex}, durably. */
    private void reset(long nextIndex) throws IOException {
        Segment fresh;
        try {
            fresh = files.prepareSegment(nextIndex, segmentBytes, true);
        } catch (StorageFullException full) {
            throw full;
        } catch (IOException e) {
            throw fail("preparing the reset segment failed", e);
        }
        List<Segment> old;
        try {
            files.publishSegment(fresh);
        } catch (IOException e) {
            throw fail("publishing the reset segment failed", e);
        }
        lock.writeLock().lock();
        try {
            old = new ArrayList<>(segments);
            segments.clear();
            segments.add(fresh);
        } finally {
            lock.writeLock().unlock();
        }
        cache.removeBefore(Long.MAX_VALUE);
        try {
            for (Segment s : old) {
                files.closeQuietly(s);
                if (!s.path.equals(fresh.path)) {
                    io.delete(s.path);
                }
            }
            io.syncDirectory(dir);
        } catch (IOException e) {
            throw fail("deleting the segments replaced by a reset failed", e);
        }
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.CONCURRENT_READS);
    }

    /** @return the number of segment files (diagnostics and tests) */
    public int segmentCount() {
        lock.readLock().lock();
        try {
            return segments.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** @return how many sparse index points and term runs all segments hold in memory (diagnostics) */
    public long indexPoints() {
        lock.readLock().lock();
        try {
            long n = 0;
            for (Segment s : segments) {
                n += s.memoryPoints();
            }
            return n;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** @return the bytes held by the entry cache (diagnostics) */
    public long cachedBytes() {
        return cache.bytes();
    }

    private void closeFiles() {
        for (Segment s : segments) {
            files.closeQuietly(s);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        files.closeSpare();
        lock.writeLock().lock();
        try {
            closeFiles();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
