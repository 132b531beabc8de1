package io.flotilla.store.lmdb.internal;

import io.flotilla.Bytes;
import io.flotilla.EntryKind;
import io.flotilla.HardState;
import io.flotilla.LogEntry;
import io.flotilla.NodeId;
import io.flotilla.spi.CorruptedStoreException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The byte layout of every value the LMDB store writes. LMDB 0.9 has no page checksums, so each value carries its
 * own identity and a CRC32C over all its other bytes: a flipped bit, a value at the wrong key or a value from a
 * different record type is reported as {@link CorruptedStoreException} on read instead of being trusted.
 *
 * <pre>
 * key (log db):  8-byte big-endian index (LMDB compares keys as bytes, so cursors walk in log order)
 * entry:         u8 type=1 | u8 kind | i64 index | i64 term | i32 payload length | payload | i32 CRC32C
 * first index:   u8 type=2 | i64 firstIndex | i32 CRC32C
 * hard state:    u8 type=3 | i64 term | i32 vote length (-1 = none) | vote (UTF-8) | i32 CRC32C
 * snapshot:      u8 type=4 | i64 lastIncludedIndex | i64 lastIncludedTerm | i32 CRC32C
 * </pre>
 * Stateless and thread-safe.
 */
final class Records {
    static final int ENTRY_HEADER = 1 + 1 + 8 + 8 + 4;
    static final int ENTRY_OVERHEAD = ENTRY_HEADER + 4;
    private static final byte ENTRY = 1;
    private static final byte FIRST = 2;
    private static final byte STATE = 3;
    private static final byte SNAPSHOT = 4;
    private static final int MAX_VOTE = 1024;

    private Records() {}

    /** Writes an 8-byte big-endian index key into {@code key} and flips it for reading. */
    static ByteBuffer indexKey(ByteBuffer key, long index) {
        key.clear();
        key.putLong(index).flip();
        return key;
    }

    /** Writes a UTF-8 name key into {@code key} and flips it for reading. */
    static ByteBuffer nameKey(ByteBuffer key, String name) {
        key.clear();
        key.put(name.getBytes(StandardCharsets.US_ASCII)).flip();
        return key;
    }

    /** Reads an index key. */
    static long index(ByteBuffer key, String where) throws CorruptedStoreException {
        if (key.remaining() != Long.BYTES) {
            throw new CorruptedStoreException(where, -1, "log key of " + key.remaining() + " bytes, expected 8");
        }
        return key.getLong(key.position());
    }

    static int entrySize(LogEntry e) {
        return ENTRY_OVERHEAD + e.payload().size();
    }

    /** Encodes an entry into {@code out} (cleared, large enough) and flips it. */
    static ByteBuffer encodeEntry(ByteBuffer out, LogEntry e) {
        int start = out.position();
        out.put(ENTRY).put((byte) e.kind().code()).putLong(e.index()).putLong(e.term()).putInt(e.payload().size());
        e.payload().copyTo(out);
        out.putInt(crc(out, start, out.position() - start));
        out.flip();
        return out;
    }

    /**
     * Decodes and checks an entry read at {@code index}.
     *
     * @param v the value, positioned at its start
     * @param index the key it was read at
     * @param where the database, for messages
     * @return the entry, with its payload copied to the heap
     * @throws CorruptedStoreException if any check fails
     */
    static LogEntry decodeEntry(ByteBuffer v, long index, String where) throws CorruptedStoreException {
        int n = v.remaining();
        int p = v.position();
        String at = where + " key " + index;
        if (n < ENTRY_OVERHEAD) {
            throw new CorruptedStoreException(at, -1, "entry of " + n + " bytes is shorter than its header");
        }
        checkCrc(v, at);
        if (v.get(p) != ENTRY) {
            throw new CorruptedStoreException(at, -1, "record type " + v.get(p) + " is not a log entry");
        }
        long stored = v.getLong(p + 2);
        long term = v.getLong(p + 10);
        int len = v.getInt(p + 18);
        if (stored != index) {
            throw new CorruptedStoreException(at, -1, "entry carries index " + stored);
        }
        if (len != n - ENTRY_OVERHEAD || term < 0) {
            throw new CorruptedStoreException(at, -1, "entry length " + len + " or term " + term + " is invalid");
        }
        EntryKind kind;
        try {
            kind = EntryKind.fromCode(v.get(p + 1));
        } catch (IllegalArgumentException e) {
            throw new CorruptedStoreException(at, -1, "unknown entry kind " + v.get(p + 1));
        }
        byte[] payload = new byte[len];
        v.get(p + ENTRY_HEADER, payload, 0, len);
        return new LogEntry(index, term, kind, Bytes.unsafeWrap(payload));
    }

    /** Reads only the term of an entry, after checking the whole record. */
    static long decodeTerm(ByteBuffer v, long index, String where) throws CorruptedStoreException {
        return decodeEntry(v, index, where).term();
    }

    static ByteBuffer encodeFirst(ByteBuffer out, long first) {
        out.put(FIRST).putLong(first);
        out.putInt(crc(out, 0, out.position()));
        out.flip();
        return out;
    }

    static long decodeFirst(ByteBuffer v, String where) throws CorruptedStoreException {
        check(v, FIRST, 1 + 8 + 4, where);
        long first = v.getLong(v.position() + 1);
        if (first < 1) {
            throw new CorruptedStoreException(where, -1, "first index " + first + " is below 1");
        }
        return first;
    }

    static int stateSize(HardState s) {
        return 1 + 8 + 4 + s.votedFor().map(n -> n.value().getBytes(StandardCharsets.UTF_8).length).orElse(0) + 4;
    }

    static ByteBuffer encodeState(ByteBuffer out, HardState s) {
        out.put(STATE).putLong(s.term());
        if (s.votedFor().isPresent()) {
            byte[] vote = s.votedFor().get().value().getBytes(StandardCharsets.UTF_8);
            out.putInt(vote.length).put(vote);
        } else {
            out.putInt(-1);
        }
        out.putInt(crc(out, 0, out.position()));
        out.flip();
        return out;
    }

    static HardState decodeState(ByteBuffer v, String where) throws CorruptedStoreException {
        int n = v.remaining();
        if (n < 1 + 8 + 4 + 4) {
            throw new CorruptedStoreException(where, -1, "hard state of " + n + " bytes is too short");
        }
        checkCrc(v, where);
        int p = v.position();
        if (v.get(p) != STATE) {
            throw new CorruptedStoreException(where, -1, "record type " + v.get(p) + " is not a hard state");
        }
        long term = v.getLong(p + 1);
        int len = v.getInt(p + 9);
        if (term < 0 || len < -1 || len > MAX_VOTE || n != 1 + 8 + 4 + Math.max(len, 0) + 4) {
            throw new CorruptedStoreException(where, -1, "hard state term " + term + " or vote length " + len
                    + " is invalid");
        }
        Optional<NodeId> vote = Optional.empty();
        if (len >= 0) {
            byte[] b = new byte[len];
            v.get(p + 13, b, 0, len);
            try {
                vote = Optional.of(NodeId.of(new String(b, StandardCharsets.UTF_8)));
            } catch (IllegalArgumentException e) {
                throw new CorruptedStoreException(where, -1, "stored vote is not a node id: " + e.getMessage());
            }
        }
        return new HardState(term, vote);
    }

    static ByteBuffer encodeSnapshot(ByteBuffer out, long index, long term) {
        out.put(SNAPSHOT).putLong(index).putLong(term);
        out.putInt(crc(out, 0, out.position()));
        out.flip();
        return out;
    }

    /** Decodes a snapshot record as {index, term}. */
    static long[] decodeSnapshot(ByteBuffer v, String where) throws CorruptedStoreException {
        check(v, SNAPSHOT, 1 + 8 + 8 + 4, where);
        return new long[] {v.getLong(v.position() + 1), v.getLong(v.position() + 9)};
    }

    private static void check(ByteBuffer v, byte type, int size, String where) throws CorruptedStoreException {
        if (v.remaining() != size) {
            throw new CorruptedStoreException(where, -1, "record of " + v.remaining() + " bytes, expected " + size);
        }
        checkCrc(v, where);
        if (v.get(v.position()) != type) {
            throw new CorruptedStoreException(where, -1, "record type " + v.get(v.position()) + ", expected " + type);
        }
    }

    private static void checkCrc(ByteBuffer v, String where) throws CorruptedStoreException {
        int p = v.position();
        int n = v.remaining();
        int stored = v.getInt(p + n - 4);
        int actual = crc(v, p, n - 4);
        if (stored != actual) {
            throw new CorruptedStoreException(where, -1, String.format("CRC32C mismatch (stored %08x, computed %08x)",
                    stored, actual));
        }
    }

    private static int crc(ByteBuffer b, int from, int length) {
        CRC32C c = new CRC32C();
        ByteBuffer view = b.duplicate();
        view.limit(from + length).position(from);
        c.update(view);
        return (int) c.getValue();
    }
}
