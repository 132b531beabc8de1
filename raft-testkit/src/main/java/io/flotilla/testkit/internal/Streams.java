package io.flotilla.testkit.internal;

import io.flotilla.SnapshotMeta;
import io.flotilla.spi.SnapshotKind;
import io.flotilla.spi.SnapshotPart;
import io.flotilla.spi.SnapshotStore;
import io.flotilla.spi.SnapshotWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/** Writes and reads snapshot data as streams, in chunks, and checksums it: never one large array. */
public final class Streams {
    private static final int CHUNK = 64 * 1024;

    private Streams() {}

    /** The size and CRC32C of a stream. */
    public record Digest(long size, long crc32c) {}

    /**
     * Writes {@code size} pseudo-random bytes derived from {@code seed} in odd-sized chunks.
     *
     * @param out the destination
     * @param seed the content seed
     * @param size how many bytes
     * @return the digest of what was written
     * @throws IOException if writing fails
     */
    public static Digest write(OutputStream out, long seed, long size) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        CRC32C crc = new CRC32C();
        byte[] buf = new byte[CHUNK];
        long left = size;
        while (left > 0) {
            int n = (int) Math.min(left, 1 + rnd.nextInt(CHUNK));
            rnd.nextBytes(buf);
            out.write(buf, 0, n);
            crc.update(buf, 0, n);
            left -= n;
        }
        return new Digest(size, crc.getValue());
    }

    /**
     * Reads a stream to its end.
     *
     * @param in the stream, closed by this method
     * @return its digest
     * @throws IOException if reading fails
     */
    public static Digest read(InputStream in) throws IOException {
        try (in) {
            CRC32C crc = new CRC32C();
            byte[] buf = new byte[CHUNK - 7];
            long size = 0;
            for (int n; (n = in.read(buf)) >= 0; ) {
                crc.update(buf, 0, n);
                size += n;
            }
            return new Digest(size, crc.getValue());
        }
    }

    /**
     * Writes and commits one part.
     *
     * @param store the store
     * @param meta the metadata
     * @param kind the kind
     * @param seed the content seed
     * @param size the size
     * @return the digest of the data
     * @throws IOException if the store fails
     */
    public static Digest commit(SnapshotStore store, SnapshotMeta meta, SnapshotKind kind, long seed, long size)
            throws IOException {
        try (SnapshotWriter w = store.create(meta, kind)) {
            Digest d = write(w.output(), seed, size);
            w.commit();
            return d;
        }
    }

    /**
     * Returns the digest of a stored part, read through {@link SnapshotPart#open()}.
     *
     * @param part the part
     * @return its digest
     * @throws IOException if reading fails
     */
    public static Digest read(SnapshotPart part) throws IOException {
        return read(part.open());
    }
}
