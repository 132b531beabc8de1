package io.flotilla.store.file.internal.log;

import io.flotilla.store.file.internal.io.FileHandle;
import io.flotilla.store.file.internal.log.LogFormat.Problem;
import io.flotilla.store.file.internal.log.LogFormat.SegmentHeader;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads a segment file front to back, checking every checksum and the continuity of indices, and classifies
 * what follows the last valid record. Used by recovery and by the offline tool. Stateless; thread-safe.
 */
public final class SegmentScanner {
    private static final int CHUNK = 1 << 20;
    /** The sector size assumed atomic by the torn-write rule. */
    public static final int SECTOR = 512;

    private SegmentScanner() {}

    /** Receives each valid record, in order. */
    @FunctionalInterface
    public interface Visitor {
        /**
         * Called for one valid record.
         *
         * @param index the index
         * @param term the term
         * @param offset the record's offset in the file
         * @param size the record's size in bytes
         * @param buf a buffer holding the record
         * @param at the record's offset in {@code buf}
         */
        void record(long index, long term, long offset, int size, ByteBuffer buf, int at);
    }

    /**
     * What a scan found.
     *
     * @param header the segment header
     * @param end the offset just after the last valid record
     * @param lastIndex the last valid index, or {@code header.firstIndex() - 1}
     * @param problem why the scan stopped before the end of the file, or null if it reached {@code stopAfter}
     * @param detail a description of the problem
     * @param fileSize the file size
     */
    public record Result(SegmentHeader header, long end, long lastIndex, Problem problem, String detail, long fileSize) {}

    /**
     * Reads a segment header.
     *
     * @param f the file
     * @param why receives the reason when invalid
     * @return the header, or null if invalid
     * @throws IOException if reading failed
     */
    public static SegmentHeader header(FileHandle f, String[] why) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(LogFormat.SEGMENT_HEADER_BYTES);
        f.readFully(b, 0);
        b.flip();
        return LogFormat.decodeSegmentHeader(b, why);
    }

    /**
     * Scans records after a valid header.
     *
     * @param f the file
     * @param header its header
     * @param stopAfter stop after this index (the segment is sealed at it), or {@code Long.MAX_VALUE}
     * @param v receives each valid record
     * @return the result; {@code problem} is {@link Problem#ZERO} at a clean end of written data
     * @throws IOException if reading failed
     */
    public static Result scan(FileHandle f, SegmentHeader header, long stopAfter, Visitor v) throws IOException {
        long size = f.size();
        long pos = LogFormat.SEGMENT_HEADER_BYTES;
        long expected = header.firstIndex();
        ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        long bufStart = -1;
        int bufLen = 0;
        while (expected <= stopAfter) {
            // make [pos, pos + header) available
            if (bufStart < 0 || pos + LogFormat.RECORD_HEADER_BYTES > bufStart + bufLen) {
                bufStart = pos;
                bufLen = fill(f, buf, pos);
            }
            int at = (int) (pos - bufStart);
            ByteBuffer view = buf.duplicate().limit(bufLen);
            Problem p = LogFormat.checkHeader(view, at);
            if (p != null) {
                return new Result(header, pos, expected - 1, p, describe(p, pos), size);
            }
            int total = LogFormat.RECORD_HEADER_BYTES + LogFormat.payloadLength(view, at);
            if (pos + total > size) {
                return new Result(header, pos, expected - 1, Problem.SHORT,
                        "record at offset " + pos + " runs past the end of the file", size);
            }
            if (at + total > bufLen) {
                if (total > buf.capacity()) {
                    buf = ByteBuffer.allocate(total);
                }
                bufStart = pos;
                bufLen = fill(f, buf, pos);
                at = 0;
                view = buf.duplicate().limit(bufLen);
            }
            if (!LogFormat.payloadValid(view, at)) {
                return new Result(header, pos, expected - 1, Problem.PAYLOAD_CHECKSUM, describe(Problem.PAYLOAD_CHECKSUM, pos),
                        size);
            }
            long index = LogFormat.index(view, at);
            if (index != expected) {
                return new Result(header, pos, expected - 1, Problem.HEADER_VALUES,
                        "index discontinuity at offset " + pos + ": expected " + expected + ", found " + index, size);
            }
            v.record(index, LogFormat.term(view, at), pos, total, view, at);
            pos += total;
            expected++;
        }
        return new Result(header, pos, expected - 1, null, "sealed at index " + stopAfter, size);
    }

    private static String describe(Problem p, long pos) {
        switch (p) {
            case ZERO:
                return "end of written data at offset " + pos;
            case SHORT:
                return "record cut short at offset " + pos;
            case HEADER_CHECKSUM:
                return "record header checksum mismatch at offset " + pos;
            case HEADER_VALUES:
                return "impossible record header values at offset " + pos;
            default:
                return "record payload checksum mismatch at offset " + pos;
        }
    }

    private static int fill(FileHandle f, ByteBuffer buf, long pos) throws IOException {
        buf.clear();
        int n = f.readFully(buf, pos);
        buf.clear();
        return n;
    }

    /** How the bytes after the last valid record of the last segment are to be treated. */
    public enum TailKind {
        /** Only zeros follow: a clean end. */
        CLEAN,
        /** A write cut by a crash: never acknowledged; truncated on open. */
        TORN,
        /** Anything else: refuse to open. */
        CORRUPT
    }

    /**
     * The classification of a tail.
     *
     * @param kind the kind
     * @param garbageEnd the offset after the last non-zero byte
     * @param detail why
     */
    public record Tail(TailKind kind, long garbageEnd, String detail) {}

    /**
     * Classifies what follows the last valid record (at {@code end}) of the last segment.
     *
     * <p>The rule: zeros only → clean. Otherwise the bytes are a torn write, and are truncated, only if (1) no
     * record with a valid header of a <em>later</em> append call ({@code batchStart} above the next expected
     * index) exists further on, since that call was acknowledged after the damaged one had been flushed; and
     * (2) the first bad record looks cut at a sector boundary: it runs past the end of the file or of the written
     * data, or it ends in whole zero sectors. A complete-looking record with a bad checksum (a flipped bit) is
     * damage, not a tear.
     *
     * @param f the file
     * @param end the offset after the last valid record
     * @param expected the next expected index
     * @return the classification
     * @throws IOException if reading failed
     */
    public static Tail classifyTail(FileHandle f, long end, long expected) throws IOException {
        long size = f.size();
        long garbageEnd = end;
        ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        // (1) find the last non-zero byte and any later-batch record header
        boolean later = false;
        long laterAt = -1;
        for (long chunk = end; chunk < size; chunk += CHUNK - LogFormat.RECORD_HEADER_BYTES) {
            int n = fill(f, buf, chunk);
            ByteBuffer v = buf.duplicate().limit(n);
            for (int i = n - 1; i >= 0; i--) {
                if (v.get(i) != 0) {
                    garbageEnd = Math.max(garbageEnd, chunk + i + 1);
                    break;
                }
            }
            for (int at = (chunk == end ? 1 : 0); !later && at + LogFormat.RECORD_HEADER_BYTES <= n; at++) {
                long batchStart = v.getLong(at + 24);
                long index = v.getLong(at + 8);
                if (batchStart > expected && batchStart <= index && index - expected < (1L << 40)
                        && LogFormat.checkHeader(v, at) == null) {
                    later = true;
                    laterAt = chunk + at;
                }
            }
            if (chunk + n >= size) {
                break;
            }
        }
        if (garbageEnd <= end) {
            return new Tail(TailKind.CLEAN, end, "clean end at offset " + end);
        }
        if (later) {
            return new Tail(TailKind.CORRUPT, garbageEnd, "bad record at offset " + end
                    + " is followed by a record of a later append at offset " + laterAt);
        }
        // (2) does the first bad record look cut at a sector boundary?
        int hdr = (int) Math.min(LogFormat.RECORD_HEADER_BYTES, size - end);
        ByteBuffer h = ByteBuffer.allocate(LogFormat.RECORD_HEADER_BYTES);
        h.limit(hdr);
        f.readFully(h, end);
        h.flip();
        long recordEnd;
        if (hdr == LogFormat.RECORD_HEADER_BYTES && LogFormat.checkHeader(h, 0) == null) {
            recordEnd = end + LogFormat.RECORD_HEADER_BYTES + LogFormat.payloadLength(h, 0);
        } else {
            recordEnd = end + LogFormat.RECORD_HEADER_BYTES;
        }
        if (recordEnd > size || recordEnd > garbageEnd) {
            return new Tail(TailKind.TORN, garbageEnd, "record at offset " + end + " cut short");
        }
        long zeroRunStart = zeroRunStart(f, end, recordEnd);
        long boundary = (zeroRunStart + SECTOR - 1) / SECTOR * SECTOR;
        if (zeroRunStart == end || boundary < recordEnd) {
            return new Tail(TailKind.TORN, garbageEnd, "record at offset " + end + " ends in unwritten sectors");
        }
        return new Tail(TailKind.CORRUPT, garbageEnd, "record at offset " + end
                + " is complete but fails its checksum");
    }

    private static long zeroRunStart(FileHandle f, long from, long to) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) (to - from));
        f.readFully(b, from);
        int i = (int) (to - from);
        while (i > 0 && b.get(i - 1) == 0) {
            i--;
        }
        return from + i;
    }
}
