package io.flotilla.examples.kv;

import io.flotilla.Bytes;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The key-value state machine's snapshot format (version {@value #VERSION}), written and read as a stream: no part
 * of it is ever held whole in memory.
 *
 * <pre>
 * header   magic "FLKVSNAP" (8 bytes) | u8 version | u8 kind (1 full, 2 delta) | long lastAppliedIndex | long baseIndex
 * record*  u8 1 (put)       | key | long version | value
 *          u8 2 (tombstone) | key | long version           (deltas only)
 * end      u8 0xFF | long recordCount | int CRC32C of every byte before the checksum
 * </pre>
 *
 * <p>Keys are as in {@link KvCommand} (u16 length, UTF-8) and appear in strictly ascending {@link String} order, so
 * that a chain is merged by one streaming k-way merge ({@link SnapshotMerger}). A full part has baseIndex 0; a
 * delta's baseIndex is the index of the part it builds on. The reader checks the magic, version, kind, lengths,
 * key order, versions (in {@code [1, lastAppliedIndex]}), the count, the checksum and that nothing follows the end
 * record: a damaged or truncated stream fails with an {@link IOException}, never yields garbage.
 *
 * <p><b>Threading:</b> a {@link Writer} or {@link Reader} is used by one thread.
 */
final class SnapshotFormat {
    static final int VERSION = 1;
    static final byte[] MAGIC = {'F', 'L', 'K', 'V', 'S', 'N', 'A', 'P'};
    static final int KIND_FULL = 1;
    static final int KIND_DELTA = 2;
    static final int TAG_PUT = 1;
    static final int TAG_TOMBSTONE = 2;
    static final int TAG_END = 0xFF;

    private SnapshotFormat() {}

    /** A part that fails validation: damaged, truncated, of an unknown version, or not in this format. */
    static final class CorruptSnapshotException extends IOException {
        private static final long serialVersionUID = 1L;

        CorruptSnapshotException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * One record: a key's live value or (in deltas) its deletion.
     *
     * @param key the key
     * @param version the log index that wrote it
     * @param value the value; empty for a tombstone
     */
    record Record(String key, long version, Optional<Bytes> value) {
        boolean isTombstone() {
            return value.isEmpty();
        }
    }

    /** Writes one part. Call {@link #finish()} at the end; the target stream is flushed, never closed. */
    static final class Writer {
        private final CheckedOutputStream checked;
        private final DataOutputStream out;
        private final int kind;
        private String lastKey;
        private long count;

        Writer(OutputStream target, int kind, long lastAppliedIndex, long baseIndex) throws IOException {
            this.checked = new CheckedOutputStream(new BufferedOutputStream(target, 64 * 1024), new CRC32C());
            this.out = new DataOutputStream(checked);
            this.kind = kind;
            out.write(MAGIC);
            out.writeByte(VERSION);
            out.writeByte(kind);
            out.writeLong(lastAppliedIndex);
            out.writeLong(baseIndex);
        }

        void put(String key, long version, Bytes value) throws IOException {
            order(key);
            out.writeByte(TAG_PUT);
            KvCommand.writeKey(out, key);
            out.writeLong(version);
            KvCommand.writeValue(out, value);
        }

        void tombstone(String key, long version) throws IOException {
            if (kind != KIND_DELTA) {
                throw new IllegalStateException("a full snapshot holds no tombstones");
            }
            order(key);
            out.writeByte(TAG_TOMBSTONE);
            KvCommand.writeKey(out, key);
            out.writeLong(version);
        }

        void write(Record r) throws IOException {
            if (r.isTombstone()) {
                tombstone(r.key(), r.version());
            } else {
                put(r.key(), r.version(), r.value().get());
            }
        }

        private void order(String key) {
            if (lastKey != null && lastKey.compareTo(key) >= 0) {
                throw new IllegalStateException("keys out of order: " + lastKey + " then " + key);
            }
            lastKey = key;
            count++;
        }

        void finish() throws IOException {
            out.writeByte(TAG_END);
            out.writeLong(count);
            out.flush();
            int crc = (int) checked.getChecksum().getValue();
            out.writeInt(crc);
            out.flush();
        }
    }

    /** Reads and validates one part, record by record. */
    static final class Reader implements AutoCloseable {
        private final InputStream source;
        private final CheckedInputStream checked;
        private final DataInputStream in;
        private final String name;
        private final int kind;
        private final long lastAppliedIndex;
        private final long baseIndex;
        private String lastKey;
        private long count;
        private boolean ended;

        /**
         * Opens a part and reads its header.
         *
         * @param source the part's data; closed by {@link #close()}
         * @param name how to name the part in errors
         * @throws IOException if the header is damaged or of an unknown version
         */
        Reader(InputStream source, String name) throws IOException {
            this.source = source;
            this.name = name;
            this.checked = new CheckedInputStream(new BufferedInputStream(source, 64 * 1024), new CRC32C());
            this.in = new DataInputStream(checked);
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw corrupt("not a key-value snapshot (bad magic)");
            }
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw corrupt("unsupported snapshot format version " + version + " (this build reads " + VERSION + ")");
            }
            kind = in.readUnsignedByte();
            if (kind != KIND_FULL && kind != KIND_DELTA) {
                throw corrupt("unknown part kind " + kind);
            }
            lastAppliedIndex = in.readLong();
            baseIndex = in.readLong();
            if (lastAppliedIndex < 0 || baseIndex < 0 || (kind == KIND_FULL) != (baseIndex == 0)
                    || (kind == KIND_DELTA && baseIndex >= lastAppliedIndex)) {
                throw corrupt("inconsistent header: kind " + kind + ", index " + lastAppliedIndex + ", base " + baseIndex);
            }
        }

        int kind() {
            return kind;
        }

        long lastAppliedIndex() {
            return lastAppliedIndex;
        }

        long baseIndex() {
            return baseIndex;
        }

        /**
         * Reads the next record, or verifies the end record and returns empty.
         *
         * @return the next record; empty at the (verified) end
         * @throws IOException if the data is damaged or truncated
         */
        Optional<Record> next() throws IOException {
            if (ended) {
                return Optional.empty();
            }
            try {
                int tag = in.readUnsignedByte();
                if (tag == TAG_END) {
                    verifyEnd();
                    return Optional.empty();
                }
                if (tag != TAG_PUT && !(tag == TAG_TOMBSTONE && kind == KIND_DELTA)) {
                    throw corrupt("unexpected record tag " + tag);
                }
                String key = KvCommand.readKey(in);
                if (lastKey != null && lastKey.compareTo(key) >= 0) {
                    throw corrupt("keys out of order");
                }
                lastKey = key;
                long version = in.readLong();
                if (version < 1 || version > lastAppliedIndex) {
                    throw corrupt("record version " + version + " outside [1, " + lastAppliedIndex + "]");
                }
                Optional<Bytes> value = tag == TAG_PUT ? Optional.of(KvCommand.readValue(in)) : Optional.empty();
                count++;
                return Optional.of(new Record(key, version, value));
            } catch (EOFException e) {
                throw corrupt("truncated");
            } catch (CorruptSnapshotException e) {
                throw e;
            } catch (IOException e) {
                throw new CorruptSnapshotException("corrupt snapshot part " + name + ": " + e.getMessage(), e);
            }
        }

        private void verifyEnd() throws IOException {
            long written = in.readLong();
            int expected = (int) checked.getChecksum().getValue();
            int stored = in.readInt();
            if (stored != expected) {
                throw corrupt("checksum mismatch");
            }
            if (written != count) {
                throw corrupt("record count " + count + " but end record says " + written);
            }
            if (in.read() != -1) {
                throw corrupt("data after the end record");
            }
            ended = true;
        }

        private CorruptSnapshotException corrupt(String why) {
            return new CorruptSnapshotException("corrupt snapshot part " + name + ": " + why, null);
        }

        @Override
        public void close() throws IOException {
            source.close();
        }
    }
}
