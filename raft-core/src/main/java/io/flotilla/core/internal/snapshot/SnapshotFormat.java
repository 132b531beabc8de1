package io.flotilla.core.internal.snapshot;

import io.flotilla.Bytes;
import io.flotilla.ClusterConfig;
import io.flotilla.SnapshotMeta;
import io.flotilla.spi.CorruptedStoreException;
import io.flotilla.spi.SnapshotKind;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The container in which the core stores and sends snapshot data, around the state machine's own format.
 *
 * <pre>
 * stream := MAGIC "FLSC" · VERSION (1 byte) · part* · END (0x00)
 * part   := 0x01 · kind (0 FULL, 1 DELTA) · index (8) · term (8) · config length (4) · config · frame* · 0 (4)
 * frame  := length (4, 1..MAX_FRAME) · CRC32C of data (4) · data
 * </pre>
 *
 * <p>One stored part written by this node holds one logical part (the image its state machine wrote). A snapshot
 * received from a leader is stored as <em>one</em> FULL part that holds the leader's whole chain (its base and
 * deltas as logical parts), so a multi-part install commits atomically. Frames carry a CRC32C, so a flipped bit
 * or a truncated file is reported as {@link CorruptedStoreException}, whatever the store underneath checks.
 *
 * <p><b>Threading:</b> stateless; the streams it creates are used by one thread.
 */
public final class SnapshotFormat {
    static final int MAGIC = 0x464C5343; // "FLSC"
    static final int VERSION = 1;
    static final int PART = 0x01;
    static final int END = 0x00;
    /** Largest frame accepted on read; writers use {@link #FRAME_BYTES}. */
    static final int MAX_FRAME = 4 << 20;
    static final int FRAME_BYTES = 64 << 10;
    private static final int MAX_CONFIG = 1 << 20;

    private SnapshotFormat() {}

    /** @return a typed corruption error for snapshot data (no byte offset: the container is a stream) */
    static CorruptedStoreException corrupt(String detail) {
        return new CorruptedStoreException("snapshot", -1, detail);
    }

    static CorruptedStoreException corrupt(String detail, Throwable cause) {
        CorruptedStoreException e = corrupt(detail);
        e.initCause(cause);
        return e;
    }

    /**
     * Writes the stream header.
     *
     * @param out the destination
     * @throws IOException if writing failed
     */
    public static void writeHeader(OutputStream out) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(MAGIC);
        d.writeByte(VERSION);
        d.flush();
    }

    /**
     * Writes the end marker after the last part.
     *
     * @param out the destination
     * @throws IOException if writing failed
     */
    public static void writeEnd(OutputStream out) throws IOException {
        out.write(END);
        out.flush();
    }

    /**
     * Starts a part; the caller writes its data into the returned stream and then closes it (which ends the part
     * but leaves {@code out} open).
     *
     * @param out the destination
     * @param kind FULL or DELTA
     * @param meta what the part covers
     * @return the part's data stream
     * @throws IOException if writing failed
     */
    public static OutputStream beginPart(OutputStream out, SnapshotKind kind, SnapshotMeta meta) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeByte(PART);
        d.writeByte(kind == SnapshotKind.FULL ? 0 : 1);
        d.writeLong(meta.lastIncludedIndex());
        d.writeLong(meta.lastIncludedTerm());
        Bytes config = meta.config().toBytes();
        d.writeInt(config.size());
        config.writeTo(d);
        d.flush();
        return new FrameOutputStream(out);
    }

    /** A part's header as read back. */
    record PartHeader(SnapshotKind kind, SnapshotMeta meta) {}

    static void readHeader(DataInputStream in, String where) throws IOException {
        int magic;
        int version;
        try {
            magic = in.readInt();
            version = in.readUnsignedByte();
        } catch (EOFException e) {
            throw SnapshotFormat.corrupt(where + ": snapshot data truncated in its header", e);
        }
        if (magic != MAGIC) {
            throw SnapshotFormat.corrupt(where + ": not Flotilla snapshot data (magic " + Integer.toHexString(magic)
                    + ")");
        }
        if (version != VERSION) {
            throw SnapshotFormat.corrupt(where + ": unsupported snapshot format version " + version);
        }
    }

    /** @return the next part's header, or null at the end marker */
    static PartHeader readPartHeader(DataInputStream in, String where) throws IOException {
        try {
            int tag = in.readUnsignedByte();
            if (tag == END) {
                return null;
            }
            if (tag != PART) {
                throw SnapshotFormat.corrupt(where + ": bad part tag " + tag);
            }
            int k = in.readUnsignedByte();
            if (k > 1) {
                throw SnapshotFormat.corrupt(where + ": bad part kind " + k);
            }
            long index = in.readLong();
            long term = in.readLong();
            int len = in.readInt();
            if (len < 0 || len > MAX_CONFIG || index < 0 || term < 0) {
                throw SnapshotFormat.corrupt(where + ": bad part header (index " + index + ", term " + term
                        + ", config " + len + " bytes)");
            }
            byte[] config = in.readNBytes(len);
            if (config.length != len) {
                throw SnapshotFormat.corrupt(where + ": snapshot data truncated in a part header");
            }
            ClusterConfig c;
            try {
                c = ClusterConfig.fromBytes(Bytes.unsafeWrap(config));
            } catch (RuntimeException e) {
                throw SnapshotFormat.corrupt(where + ": bad configuration in a part header", e);
            }
            return new PartHeader(k == 0 ? SnapshotKind.FULL : SnapshotKind.DELTA, new SnapshotMeta(index, term, c));
        } catch (EOFException e) {
            throw SnapshotFormat.corrupt(where + ": snapshot data truncated in a part header", e);
        }
    }

    /**
     * Skips a part's frames without checking their checksums.
     *
     * @return the number of data bytes skipped
     */
    static long skipFrames(DataInputStream in, String where) throws IOException {
        long total = 0;
        try {
            while (true) {
                int len = in.readInt();
                in.readInt(); // crc
                if (len == 0) {
                    return total;
                }
                if (len < 0 || len > MAX_FRAME) {
                    throw SnapshotFormat.corrupt(where + ": bad frame length " + len);
                }
                in.skipNBytes(len);
                total += len;
            }
        } catch (EOFException e) {
            throw SnapshotFormat.corrupt(where + ": snapshot data truncated inside a part", e);
        }
    }

    /**
     * Opens the data of one part whose frames start at the current position of {@code in}.
     *
     * @param in positioned at the first frame
     * @param where for error messages
     * @return the part's data, checked frame by frame
     */
    static InputStream openFrames(InputStream in, String where) {
        return new FrameInputStream(in, where);
    }
}
