package io.flotilla.core.internal.snapshot;

import io.flotilla.SnapshotMeta;
import io.flotilla.spi.CorruptedStoreException;
import io.flotilla.spi.SnapshotKind;
import io.flotilla.spi.SnapshotPart;
import io.flotilla.spi.SnapshotReader;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The chain the state machine sees: the logical parts inside the stored parts of a {@link SnapshotReader}, in
 * restore order (see {@link SnapshotFormat}). Opening the chain scans the stored parts' headers (skipping data);
 * each logical part's {@link SnapshotPart#open()} re-opens its stored part and checks every frame as it reads.
 *
 * <p><b>Threading:</b> as {@link SnapshotReader}: one thread at a time. Closing it closes the stored reader.
 */
public final class LogicalChain implements SnapshotReader {
    private final SnapshotReader stored;
    private final List<SnapshotPart> parts;

    private LogicalChain(SnapshotReader stored, List<SnapshotPart> parts) {
        this.stored = stored;
        this.parts = List.copyOf(parts);
    }

    /**
     * Scans a stored chain.
     *
     * @param stored the store's reader; closed by {@link #close()} (and on failure here)
     * @return the logical chain
     * @throws CorruptedStoreException if a stored part is not valid container data, or the chain does not start
     *     with a full image or ends elsewhere than the stored chain's metadata says
     * @throws IOException if reading failed
     */
    public static LogicalChain open(SnapshotReader stored) throws IOException {
        try {
            List<SnapshotPart> parts = new ArrayList<>();
            for (SnapshotPart p : stored.parts()) {
                scan(p, parts);
            }
            if (parts.isEmpty() || parts.get(0).kind() != SnapshotKind.FULL) {
                throw SnapshotFormat.corrupt("snapshot chain at " + stored.meta().lastIncludedIndex()
                        + " does not start with a full image");
            }
            long last = parts.get(parts.size() - 1).meta().lastIncludedIndex();
            if (last != stored.meta().lastIncludedIndex()) {
                throw SnapshotFormat.corrupt("snapshot chain ends at " + last + " but its store says "
                        + stored.meta().lastIncludedIndex());
            }
            return new LogicalChain(stored, parts);
        } catch (IOException | RuntimeException e) {
            try {
                stored.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static void scan(SnapshotPart p, List<SnapshotPart> out) throws IOException {
        String where = "snapshot part at " + p.meta().lastIncludedIndex();
        try (Counting counting = new Counting(new BufferedInputStream(p.open(), 8192));
                DataInputStream in = new DataInputStream(counting)) {
            SnapshotFormat.readHeader(in, where);
            SnapshotFormat.PartHeader h;
            while ((h = SnapshotFormat.readPartHeader(in, where)) != null) {
                long dataStart = counting.count;
                long size = SnapshotFormat.skipFrames(in, where);
                out.add(new Logical(p, h, dataStart, size, where));
            }
            if (in.read() != -1) {
                throw SnapshotFormat.corrupt(where + ": data after the end marker");
            }
        }
    }

    /** Counts the bytes consumed from the stream below. */
    private static final class Counting extends java.io.FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long k = super.skip(n);
            count += k;
            return k;
        }
    }

    @Override
    public SnapshotMeta meta() {
        return stored.meta();
    }

    /** @return how many parts the store holds for this chain (its base and deltas) */
    public int storedPartCount() {
        return stored.parts().size();
    }

    @Override
    public List<SnapshotPart> parts() {
        return parts;
    }

    @Override
    public void close() throws IOException {
        stored.close();
    }

    /** One logical part: a byte range of a stored part. */
    private record Logical(SnapshotPart stored, SnapshotFormat.PartHeader header, long dataStart, long size,
            String where) implements SnapshotPart {
        @Override
        public SnapshotKind kind() {
            return header.kind();
        }

        @Override
        public SnapshotMeta meta() {
            return header.meta();
        }

        @Override
        public long sizeBytes() {
            return size;
        }

        @Override
        public InputStream open() throws IOException {
            InputStream in = new BufferedInputStream(stored.open(), 64 << 10);
            try {
                in.skipNBytes(dataStart);
            } catch (java.io.EOFException e) {
                in.close();
                throw SnapshotFormat.corrupt(where + ": truncated", e);
            }
            return SnapshotFormat.openFrames(in, where);
        }
    }
}
