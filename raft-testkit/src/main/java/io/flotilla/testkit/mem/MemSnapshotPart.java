package io.flotilla.testkit.mem;

import io.flotilla.SnapshotMeta;
import io.flotilla.spi.SnapshotKind;
import io.flotilla.spi.SnapshotPart;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;

/** An immutable committed snapshot part: its data kept as a list of chunks, never one large array. */
final class MemSnapshotPart implements SnapshotPart {
    static final int CHUNK = 64 * 1024;

    private final SnapshotKind kind;
    private final SnapshotMeta meta;
    private final List<byte[]> chunks; // each full CHUNK except possibly the last; never modified
    private final long size;

    MemSnapshotPart(SnapshotKind kind, SnapshotMeta meta, List<byte[]> chunks, long size) {
        this.kind = kind;
        this.meta = meta;
        this.chunks = List.copyOf(chunks);
        this.size = size;
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

        @Override
        public int read() {
            if (pos >= size) {
                return -1;
            }
            byte b = chunks.get((int) (pos / CHUNK))[(int) (pos % CHUNK)];
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
                byte[] chunk = chunks.get((int) (pos / CHUNK));
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
