package io.flotilla.testkit.mem;

import io.flotilla.SnapshotMeta;
import io.flotilla.spi.CorruptedStoreException;
import io.flotilla.spi.SnapshotKind;
import io.flotilla.spi.SnapshotPart;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * A committed snapshot part: its data kept as a list of chunks, never one large array, each with a CRC32C taken at
 * commit and checked by every stream before it returns any byte of the chunk, so that damage injected through
 * {@link #damage} is reported as {@link CorruptedStoreException} as a disk store would. Immutable except for
 * {@link #damage}; thread-safe.
 */
final class MemSnapshotPart implements SnapshotPart {
    static final int CHUNK = 64 * 1024;

    private final SnapshotKind kind;
    private final SnapshotMeta meta;
    private final List<byte[]> chunks; // each full CHUNK except possibly the last; changed only by damage()
    private final int[] crcs; // CRC32C of each chunk at commit
    private final long size;

    MemSnapshotPart(SnapshotKind kind, SnapshotMeta meta, List<byte[]> chunks, long size) {
        this.kind = kind;
        this.meta = meta;
        this.chunks = List.copyOf(chunks);
        this.size = size;
        this.crcs = new int[this.chunks.size()];
        for (int i = 0; i < crcs.length; i++) {
            crcs[i] = crc(this.chunks.get(i));
        }
    }

    private static int crc(byte[] chunk) {
        CRC32C c = new CRC32C();
        c.update(chunk, 0, chunk.length);
        return (int) c.getValue();
    }

    /** Flips one bit of the stored data, as a bad disk sector would; later reads of its chunk fail. */
    void damage(long offset) {
        if (offset < 0 || offset >= size) {
            throw new IllegalArgumentException("offset " + offset + " outside the part's " + size + " bytes");
        }
        byte[] chunk = chunks.get((int) (offset / CHUNK));
        synchronized (chunk) {
            chunk[(int) (offset % CHUNK)] ^= 0x10;
        }
    }

    private String location() {
        return "mem snapshot part " + kind + " @" + meta.lastIncludedIndex();
    }

    @Override
    public SnapshotKind kind() {
        return kind;
    }

    @Override
    public SnapshotMeta meta() {
        return meta;
    }

    @Override
    public long sizeBytes() {
        return size;
    }

    @Override
    public InputStream open() {
        return new ChunkStream();
    }

    @Override
    public String toString() {
        return "MemSnapshotPart[" + kind + " @" + meta.lastIncludedIndex() + ", " + size + " bytes]";
    }

    private final class ChunkStream extends InputStream {
        private long pos;
        private int verified = -1; // the chunk whose checksum this stream checked last

        private byte[] chunk(long at) throws CorruptedStoreException {
            int i = (int) (at / CHUNK);
            byte[] chunk = chunks.get(i);
            if (i != verified) {
                synchronized (chunk) {
                    if (crc(chunk) != crcs[i]) {
                        throw new CorruptedStoreException(location(), (long) i * CHUNK,
                                "snapshot chunk checksum mismatch");
                    }
                }
                verified = i;
            }
            return chunk;
        }

        @Override
        public int read() throws IOException {
            if (pos >= size) {
                return -1;
            }
            byte b = chunk(pos)[(int) (pos % CHUNK)];
            pos++;
            return b & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (pos >= size) {
                return -1;
            }
            int done = 0;
            while (done < len && pos < size) {
                byte[] chunk = chunk(pos);
                int at = (int) (pos % CHUNK);
                int n = (int) Math.min(Math.min(len - done, chunk.length - at), size - pos);
                System.arraycopy(chunk, at, b, off + done, n);
                done += n;
                pos += n;
            }
            return done;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, size - pos);
        }
    }
}
