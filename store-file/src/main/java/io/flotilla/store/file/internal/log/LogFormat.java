package io.flotilla.store.file.internal.log;

import io.flotilla.Bytes;
import io.flotilla.EntryKind;
import io.flotilla.LogEntry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The on-disk format of log segments (version 1). All numbers are big-endian.
 *
 * <pre>
 * Segment file "%020d.seg" (the first index), preallocated with zeros to the segment size:
 *   header, {@value #SEGMENT_HEADER_BYTES} bytes:
 *     0  long  magic "FLOTSEG1"
 *     8  int   version (1)
 *     12 int   flags (bit 0: RESET, every older segment is obsolete)
 *     16 long  firstIndex
 *     24 long  preallocated size: the file is never shorter (a shorter file was cut: corruption)
 *     32 int   CRC32C of bytes 0..31
 *     36..63   zero
 *   records, back to back, then zeros:
 *     0  int   payload length n
 *     4  int   CRC32C of record bytes 8..35 and the payload
 *     8  long  index
 *     16 long  term
 *     24 long  batchStart: the first index of the append call that wrote the record
 *     32 byte  kind code ({@link EntryKind#code()}), 3 zero bytes
 *     36 int   CRC32C of record bytes 0..35 (the header)
 *     40       payload, n bytes
 * </pre>
 *
 * <p>The separate header checksum tells a damaged header from a torn payload; {@code batchStart} lets recovery
 * tell a torn last batch (never acknowledged) from damage followed by later, acknowledged batches.
 *
 * <p>Stateless and thread-safe.
 */
public final class LogFormat {
    /** Magic of a segment header: "FLOTSEG1". */
    public static final long SEGMENT_MAGIC = 0x464C4F5453454731L;
    /** The format version written. */
    public static final int VERSION = 1;
    /** Segment header size; records start here. */
    public static final int SEGMENT_HEADER_BYTES = 64;
    /** Record header size. */
    public static final int RECORD_HEADER_BYTES = 40;
    /** Segment flag: this segment starts a reset log; older segments are obsolete. */
    public static final int FLAG_RESET = 1;
    /** Largest payload accepted (the record length is an int). */
    public static final int MAX_PAYLOAD = Integer.MAX_VALUE - RECORD_HEADER_BYTES - 64;
    /** File name suffix of a segment. */
    public static final String SEGMENT_SUFFIX = ".seg";

    private LogFormat() {}

    /**
     * Returns the file name of the segment starting at an index.
     *
     * @param firstIndex the first index
     * @return the name
     */
    public static String segmentName(long firstIndex) {
        return String.format("%020d%s", firstIndex, SEGMENT_SUFFIX);
    }

    /**
     * Returns the first index a segment name encodes, or -1 if the name is not a segment's.
     *
     * @param name a file name
     * @return the first index or -1
     */
    public static long parseSegmentName(String name) {
        if (name.length() != 20 + SEGMENT_SUFFIX.length() || !name.endsWith(SEGMENT_SUFFIX)) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(0, 20));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static int crc(ByteBuffer buf, int from, int to) {
        CRC32C c = new CRC32C();
        ByteBuffer d = buf.duplicate();
        d.limit(to).position(from);
        c.update(d);
        return (int) c.getValue();
    }

    /**
     * Encodes a segment header.
     *
     * @param firstIndex the first index
     * @param flags the flags
     * @param size the preallocated size of the file
     * @return a buffer of {@link #SEGMENT_HEADER_BYTES}, ready to write
     */
    public static ByteBuffer encodeSegmentHeader(long firstIndex, int flags, long size) {
        ByteBuffer b = ByteBuffer.allocate(SEGMENT_HEADER_BYTES).order(ByteOrder.BIG_ENDIAN);
        b.putLong(0, SEGMENT_MAGIC).putInt(8, VERSION).putInt(12, flags).putLong(16, firstIndex).putLong(24, size);
        b.putInt(32, crc(b, 0, 32));
        return b;
    }

    /**
     * A decoded segment header.
     *
     * @param firstIndex the first index
     * @param flags the flags
     * @param size the preallocated size
     */
    public record SegmentHeader(long firstIndex, int flags, long size) {
        /**
         * Returns whether the segment starts a reset log.
         *
         * @return the RESET flag
         */
        public boolean reset() {
            return (flags & FLAG_RESET) != 0;
        }
    }

    /**
     * Decodes a segment header.
     *
     * @param b {@link #SEGMENT_HEADER_BYTES} bytes (fewer if the file is short)
     * @return the header, or null with the reason in {@code why[0]} if it is invalid
     */
    public static SegmentHeader decodeSegmentHeader(ByteBuffer b, String[] why) {
        if (b.limit() < SEGMENT_HEADER_BYTES) {
            why[0] = "segment header cut short (" + b.limit() + " bytes)";
            return null;
        }
        if (b.getLong(0) != SEGMENT_MAGIC) {
            why[0] = "bad segment magic";
            return null;
        }
        if (b.getInt(32) != crc(b, 0, 32)) {
            why[0] = "segment header checksum mismatch";
            return null;
        }
        if (b.getInt(8) != VERSION) {
            why[0] = "unsupported segment version " + b.getInt(8);
            return null;
        }
        return new SegmentHeader(b.getLong(16), b.getInt(12), b.getLong(24));
    }

    /**
     * Checks that a batch continues the log and is consecutive, and returns its encoded size.
     *
     * @param entries the batch, not empty
     * @param next the index the log continues at
     * @return the total record bytes of the batch
     * @throws IllegalArgumentException if the batch does not start at {@code next} or has a gap
     */
    static long checkBatch(List<LogEntry> entries, long next) {
        long batchStart = entries.get(0).index();
        if (batchStart != next) {
            throw new IllegalArgumentException("append must continue the log at index " + next + ", got "
                    + batchStart);
        }
        long total = 0;
        for (int k = 0; k < entries.size(); k++) {
            LogEntry e = entries.get(k);
            if (e.index() != batchStart + k) {
                throw new IllegalArgumentException("entries are not consecutive: index " + e.index()
                        + " at position " + k + " of a batch starting at " + batchStart);
            }
            total += recordSize(e);
        }
        return total;
    }

    /**
     * Returns the encoded size of an entry.
     *
     * @param e the entry
     * @return header plus payload bytes
     */
    public static int recordSize(LogEntry e) {
        return RECORD_HEADER_BYTES + e.payload().size();
    }

    /**
     * Encodes one record at the buffer's position, advancing it.
     *
     * @param e the entry
     * @param batchStart the first index of the append call
     * @param out a buffer with room for {@link #recordSize}
     */
    public static void encodeRecord(LogEntry e, long batchStart, ByteBuffer out) {
        int start = out.position();
        int n = e.payload().size();
        out.putInt(n).putInt(0).putLong(e.index()).putLong(e.term()).putLong(batchStart)
                .put((byte) e.kind().code()).put((byte) 0).putShort((short) 0).putInt(0);
        e.payload().copyTo(out);
        int end = out.position();
        CRC32C c = new CRC32C();
        ByteBuffer d = out.duplicate();
        d.limit(start + 36).position(start + 8);
        c.update(d);
        d.limit(end).position(start + RECORD_HEADER_BYTES);
        c.update(d);
        out.putInt(start + 4, (int) c.getValue());
        out.putInt(start + 36, crc(out, start, start + 36));
    }

    /** Why a record failed to decode. */
    public enum Problem {
        /** The header is all zeros: the end of the written data. */
        ZERO,
        /** Fewer bytes than the header or the payload remain in the file. */
        SHORT,
        /** The header checksum does not match. */
        HEADER_CHECKSUM,
        /** The header is intact but its values are impossible (kind, index, length). */
        HEADER_VALUES,
        /** The payload checksum does not match. */
        PAYLOAD_CHECKSUM
    }

    /**
     * Checks a record header at a buffer offset.
     *
     * @param b the buffer (absolute offsets)
     * @param at the record's offset in the buffer
     * @return null if the header is valid, else the problem
     */
    public static Problem checkHeader(ByteBuffer b, int at) {
        if (b.limit() - at < RECORD_HEADER_BYTES) {
            return allZero(b, at, b.limit()) ? Problem.ZERO : Problem.SHORT;
        }
        if (b.getInt(at + 36) != crc(b, at, at + 36)) {
            return allZero(b, at, at + RECORD_HEADER_BYTES) ? Problem.ZERO : Problem.HEADER_CHECKSUM;
        }
        int n = b.getInt(at);
        long index = b.getLong(at + 8);
        long batchStart = b.getLong(at + 24);
        int kind = b.get(at + 32);
        if (n < 0 || n > MAX_PAYLOAD || index < 1 || b.getLong(at + 16) < 0 || batchStart < 1 || batchStart > index
                || kind < 1 || kind > 3) {
            return Problem.HEADER_VALUES;
        }
        return null;
    }

    /**
     * Checks the payload checksum of a record whose header is valid and whose bytes are all in the buffer.
     *
     * @param b the buffer
     * @param at the record's offset
     * @return whether the checksum matches
     */
    public static boolean payloadValid(ByteBuffer b, int at) {
        int n = b.getInt(at);
        CRC32C c = new CRC32C();
        ByteBuffer d = b.duplicate();
        d.limit(at + 36).position(at + 8);
        c.update(d);
        d.limit(at + RECORD_HEADER_BYTES + n).position(at + RECORD_HEADER_BYTES);
        c.update(d);
        return (int) c.getValue() == b.getInt(at + 4);
    }

    /**
     * Decodes a checked record into an entry (copying the payload).
     *
     * @param b the buffer
     * @param at the record's offset
     * @return the entry
     */
    public static LogEntry decode(ByteBuffer b, int at) {
        int n = b.getInt(at);
        byte[] payload = new byte[n];
        b.get(at + RECORD_HEADER_BYTES, payload);
        return new LogEntry(b.getLong(at + 8), b.getLong(at + 16), EntryKind.fromCode(b.get(at + 32)),
                Bytes.unsafeWrap(payload));
    }

    /**
     * Returns the payload length field of a record.
     *
     * @param b the buffer
     * @param at the offset
     * @return the length
     */
    public static int payloadLength(ByteBuffer b, int at) {
        return b.getInt(at);
    }

    /**
     * Returns the index field of a record.
     *
     * @param b the buffer
     * @param at the offset
     * @return the index
     */
    public static long index(ByteBuffer b, int at) {
        return b.getLong(at + 8);
    }

    /**
     * Returns the term field of a record.
     *
     * @param b the buffer
     * @param at the offset
     * @return the term
     */
    public static long term(ByteBuffer b, int at) {
        return b.getLong(at + 16);
    }

    /**
     * Returns the batch-start field of a record.
     *
     * @param b the buffer
     * @param at the offset
     * @return the first index of the record's append call
     */
    public static long batchStart(ByteBuffer b, int at) {
        return b.getLong(at + 24);
    }

    static boolean allZero(ByteBuffer b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b.get(i) != 0) {
                return false;
            }
        }
        return true;
    }
}
