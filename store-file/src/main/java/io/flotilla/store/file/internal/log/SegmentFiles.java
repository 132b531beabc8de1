package io.flotilla.store.file.internal.log;

import io.flotilla.LogEntry;
import io.flotilla.spi.CorruptedStoreException;
import io.flotilla.store.file.internal.io.FileHandle;
import io.flotilla.store.file.internal.io.FileIO;
import io.flotilla.store.file.internal.log.LogFormat.SegmentHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file side of {@link FileLogStore}: recovery of a segment directory, creation of segments (temporary name,
 * header, zero fill, flush, rename, directory flush), the spare segment filled ahead of time, and reads of records
 * from a segment file. Holds no log state of its own besides the spare.
 *
 * <p><b>Threading:</b> recovery, creation and the spare are used by the writer thread; {@link #read} and
 * {@link #offsetOf} by any thread (positional reads).
 */
final class SegmentFiles {
    private static final Logger LOG = LoggerFactory.getLogger(FileLogStore.class);
    private static final int READ_AHEAD = 256 * 1024;
    private static final String TMP = ".tmp";
    private static final String SPARE = "next-segment-";
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 20);

    private final FileIO io;
    private final Path dir;
    private final int segmentBytes;
    private final String owner;
    private final Executor preallocator; // null: new segments are zero-filled when needed
    private CompletableFuture<FileHandle> spare;
    private Path sparePath;
    private long spares;

    SegmentFiles(FileIO io, Path dir, int segmentBytes, String owner, Executor preallocator) {
        this.io = io;
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.owner = owner;
        this.preallocator = preallocator;
    }

    boolean hasSpare() {
        return spare != null;
    }

    /** Waits for the spare, if any, and closes it. */
    void closeSpare() {
        CompletableFuture<FileHandle> f = spare;
        spare = null;
        if (f != null) {
            try {
                closeQuietlyHandle(f.join());
            } catch (RuntimeException e) {
                // nothing was left open
            }
        }
    }

    /**
     * Opens, verifies and repairs the segments of the directory (see {@link SegmentScanner#classifyTail}).
     *
     * @return the segments, in order, at least one
     */
    List<Segment> recover() throws IOException {
        List<Segment> segments = new ArrayList<>();
        io.createDirectories(dir);
        boolean dirty = false;
        List<Long> firsts = new ArrayList<>();
        for (String name : io.list(dir)) {
            if (name.endsWith(TMP)) {
                io.delete(dir.resolve(name));
                dirty = true;
                continue;
            }
            long first = LogFormat.parseSegmentName(name);
            if (first < 0) {
                LOG.warn("{}: ignoring unknown file {} in {}", owner, name, dir);
                continue;
            }
            firsts.add(first);
        }
        firsts.sort(null);
        List<Segment> found = new ArrayList<>();
        for (long first : firsts) {
            Path p = dir.resolve(LogFormat.segmentName(first));
            FileHandle h = io.open(p, false);
            String[] why = new String[1];
            SegmentHeader header;
            try {
                header = SegmentScanner.header(h, why);
            } catch (IOException e) {
                h.close();
                throw e;
            }
            if (header == null || header.firstIndex() != first) {
                h.close();
                found.forEach(this::closeQuietly);
                throw new CorruptedStoreException(p.toString(), 0,
                        header == null ? why[0] : "header first index " + header.firstIndex() + " does not match the name");
            }
            long size = h.size();
            if (size < header.size()) {
                h.close();
                found.forEach(this::closeQuietly);
                throw new CorruptedStoreException(p.toString(), size, "segment file is " + size
                        + " bytes, shorter than its preallocated " + header.size() + ": it was cut");
            }
            found.add(new Segment(p, h, first, header.reset(), header.size()));
        }
        int lastReset = -1;
        for (int i = 0; i < found.size(); i++) {
            if (found.get(i).reset) {
                lastReset = i;
            }
        }
        for (int i = 0; i < lastReset; i++) {
            Segment obsolete = found.get(i);
            LOG.info("{}: deleting {}, obsoleted by the reset segment {}", owner, obsolete.path,
                    found.get(lastReset).path);
            closeQuietly(obsolete);
            io.delete(obsolete.path);
            dirty = true;
        }
        if (lastReset > 0) {
            found = new ArrayList<>(found.subList(lastReset, found.size()));
        }
        if (dirty) {
            io.syncDirectory(dir);
        }
        segments.addAll(found);
        if (segments.isEmpty()) {
            Segment s = prepareSegment(1, segmentBytes, true);
            publishSegment(s);
            segments.add(s);
            return segments;
        }
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            boolean last = i == segments.size() - 1;
            long stopAfter = last ? Long.MAX_VALUE : segments.get(i + 1).firstIndex - 1;
            if (stopAfter < s.firstIndex) {
                throw new CorruptedStoreException(s.path.toString(), 0,
                        "segment is empty or overlaps the next segment " + segments.get(i + 1).path);
            }
            SegmentScanner.Result r = SegmentScanner.scan(s.file, new SegmentHeader(s.firstIndex, 0, s.capacity), stopAfter,
                    (index, term, offset, size, buf, at) -> s.add(index, term, offset, size));
            if (!last && r.problem() != null) {
                throw new CorruptedStoreException(s.path.toString(), r.end(), r.detail()
                        + "; this sealed segment must hold entries up to " + stopAfter);
            }
            if (last && r.problem() != null) {
                SegmentScanner.Tail tail = SegmentScanner.classifyTail(s.file, r.end(), r.lastIndex() + 1);
                switch (tail.kind()) {
                    case CLEAN:
                        break;
                    case TORN:
                        LOG.warn("{}: truncating a torn write at the end of {}: {} bytes at offset {} ({}); the last "
                                + "intact entry is {}", owner, s.path, tail.garbageEnd() - r.end(), r.end(),
                                tail.detail(), r.lastIndex());
                        zeroFill(s.file, r.end(), tail.garbageEnd());
                        s.file.force(true);
                        break;
                    default:
                        throw new CorruptedStoreException(s.path.toString(), r.end(), r.detail() + "; " + tail.detail());
                }
            }
        }
        return segments;
    }

    void scheduleSpare() {
        if (preallocator == null) {
            return;
        }
        CompletableFuture<FileHandle> f = new CompletableFuture<>();
        Path p = dir.resolve(SPARE + (++spares) + TMP);
        spare = f;
        sparePath = p;
        preallocator.execute(() -> {
            try {
                io.delete(p);
                FileHandle h = io.open(p, true);
                try {
                    zeroFill(h, 0, segmentBytes);
                    h.force(true);
                } catch (IOException e) {
                    h.close();
                    io.delete(p);
                    throw e;
                }
                f.complete(h);
            } catch (IOException | RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
    }

    /**
     * Restores a segment after a failed (ENOSPC) write at {@code at}: zeros back, extra size removed, flushed, so
     * the store is exactly as before the failed call.
     *
     * @param s the segment written to
     * @param at where the failed write started
     * @throws IOException if the repair itself failed (the caller then fails the store)
     */
    static void undoWrite(Segment s, long at) throws IOException {
        long size = s.file.size();
        long keep = Math.max(at, Math.min(size, s.capacity));
        if (size > keep) {
            s.file.truncate(keep);
        }
        zeroFill(s.file, at, keep);
        s.file.force(true);
    }

    /** Turns the spare file into a segment under its temporary name, or returns null if there is none. */
    Segment takeSpare(long firstIndex) {
        CompletableFuture<FileHandle> f = spare;
        spare = null;
        if (f == null) {
            return null;
        }
        FileHandle h;
        try {
            h = f.join();
        } catch (RuntimeException e) {
            LOG.debug("{}: no spare segment ({}); filling a new one now", owner, e.toString());
            return null;
        }
        try {
            h.write(LogFormat.encodeSegmentHeader(firstIndex, 0, segmentBytes), 0);
            h.force(false);
        } catch (IOException e) {
            closeQuietlyHandle(h);
            return null;
        }
        return new Segment(sparePath, h, firstIndex, false, segmentBytes);
    }

    void closeQuietlyHandle(FileHandle h) {
        try {
            h.close();
        } catch (IOException e) {
            LOG.warn("{}: closing a spare segment failed", owner, e);
        }
    }

    void discard(List<Segment> fresh) {
        for (Segment s : fresh) {
            closeQuietly(s);
            try {
                io.delete(s.path);
            } catch (IOException e) {
                LOG.warn("{}: could not delete {}", owner, s.path, e);
            }
        }
    }

    static void zeroFill(FileHandle f, long from, long to) throws IOException {
        long p = from;
        while (p < to) {
            ByteBuffer z = ZEROS.duplicate();
            z.limit((int) Math.min(z.capacity(), to - p));
            int n = z.remaining();
            f.write(z, p);
            p += n;
        }
    }

    /** Creates a segment under a temporary name: header, zero fill to capacity, flushed. */
    Segment prepareSegment(long firstIndex, long capacity, boolean reset) throws IOException {
        Path tmp = dir.resolve(LogFormat.segmentName(firstIndex) + TMP);
        io.delete(tmp);
        FileHandle h = io.open(tmp, true);
        try {
            h.write(LogFormat.encodeSegmentHeader(firstIndex, reset ? LogFormat.FLAG_RESET : 0, capacity), 0);
            zeroFill(h, LogFormat.SEGMENT_HEADER_BYTES, capacity);
            h.force(true);
        } catch (IOException e) {
            h.close();
            io.delete(tmp);
            throw e;
        }
        return new Segment(tmp, h, firstIndex, reset, capacity);
    }

    /** Renames a prepared segment into place, durably. */
    void publishSegment(Segment s) throws IOException {
        Path fin = dir.resolve(LogFormat.segmentName(s.firstIndex));
        io.rename(s.path, fin);
        io.syncDirectory(dir);
        s.path = fin;
    }

    void closeQuietly(Segment s) {
        try {
            s.file.close();
        } catch (IOException e) {
            LOG.warn("{}: closing {} failed", owner, s.path, e);
        }
    }

    /** Reads consecutive records of one segment from an index point, verifying checksums. */
    List<LogEntry> read(Segment s, long[] point, long index, long stop, long budget, EntryCache cache)
            throws IOException {
        List<LogEntry> out = new ArrayList<>();
        long pos = point[1];
        long expect = point[0];
        long want = Math.max(READ_AHEAD, Math.min(budget, 1L << 24));
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(want, Math.max(READ_AHEAD, s.end - pos)));
        long bytes = 0;
        while (expect <= stop) {
            buf.clear();
            int n = s.file.readFully(buf, pos);
            int at = 0;
            boolean progressed = false;
            while (expect <= stop) {
                ByteBuffer v = buf.duplicate().limit(n);
                if (n - at < LogFormat.RECORD_HEADER_BYTES) {
                    break;
                }
                if (LogFormat.checkHeader(v, at) != null) {
                    throw new CorruptedStoreException(s.path.toString(), pos + at, "record header fails its checks");
                }
                int total = LogFormat.RECORD_HEADER_BYTES + LogFormat.payloadLength(v, at);
                if (at + total > n) {
                    if (total > buf.capacity()) {
                        buf = ByteBuffer.allocate(total);
                    }
                    break;
                }
                long idx = LogFormat.index(v, at);
                if (idx != expect) {
                    throw new CorruptedStoreException(s.path.toString(), pos + at, "expected index " + expect
                            + ", found " + idx);
                }
                if (idx >= index) {
                    if (!LogFormat.payloadValid(v, at)) {
                        throw new CorruptedStoreException(s.path.toString(), pos + at,
                                "record payload checksum mismatch (index " + idx + ")");
                    }
                    LogEntry e = LogFormat.decode(v, at);
                    cache.put(e);
                    out.add(e);
                    bytes += e.sizeBytes();
                }
                at += total;
                expect++;
                progressed = true;
                if (bytes >= budget && !out.isEmpty()) {
                    return out;
                }
            }
            if (!progressed && n < LogFormat.RECORD_HEADER_BYTES) {
                throw new CorruptedStoreException(s.path.toString(), pos, "segment ends before index " + expect);
            }
            pos += at;
        }
        return out;
    }

    /** Finds the file offset of a record by walking from an index point. */
    long offsetOf(Segment s, long[] point, long index) throws IOException {
        long pos = point[1];
        ByteBuffer h = ByteBuffer.allocate(LogFormat.RECORD_HEADER_BYTES);
        for (long i = point[0]; i < index; i++) {
            h.clear();
            s.file.readFully(h, pos);
            h.flip();
            if (LogFormat.checkHeader(h, 0) != null || LogFormat.index(h, 0) != i) {
                throw new CorruptedStoreException(s.path.toString(), pos, "record header fails its checks");
            }
            pos += LogFormat.RECORD_HEADER_BYTES + LogFormat.payloadLength(h, 0);
        }
        return pos;
    }

}
