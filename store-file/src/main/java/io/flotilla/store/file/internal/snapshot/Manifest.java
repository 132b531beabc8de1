package io.flotilla.store.file.internal.snapshot;

import io.flotilla.spi.CorruptedStoreException;
import io.flotilla.spi.SnapshotKind;
import io.flotilla.store.file.internal.io.FileHandle;
import io.flotilla.store.file.internal.io.FileIO;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The file {@code MANIFEST} that names the current snapshot chain. It is the single switch of a commit: it is
 * only ever replaced whole, by writing {@code MANIFEST.tmp}, flushing it, renaming it over {@code MANIFEST} and
 * flushing the directory, so at every instant (and after a crash at any step) it names either the old chain or
 * the new one. No {@code MANIFEST} means no snapshot.
 *
 * <pre>
 * 0   long  magic "FLOTSNPM"
 * 8   int   version (1)
 * 12  long  sequence (the number of commits so far; for operators)
 * 20  int   part count n (1 or more)
 * 24  n entries of 24 bytes: long part id, long last included index, int kind (0 FULL, 1 DELTA), int 0
 * 24+24n int CRC32C of everything before
 * </pre>
 *
 * Stateless; thread-safe.
 */
final class Manifest {
    static final String NAME = "MANIFEST";
    static final String TMP_NAME = "MANIFEST.tmp";
    static final long MAGIC = 0x464C4F54534E504DL;
    private static final int HEADER = 24;
    private static final int ENTRY = 24;
    private static final int MAX_PARTS = 1 << 20;

    private Manifest() {}

    /** One part of the chain as named by the manifest. */
    record Entry(long id, long index, SnapshotKind kind) {
        Path file(Path dir) {
            return dir.resolve(PartFormat.name(index, id, kind));
        }
    }

    /** A decoded manifest. */
    record Contents(long sequence, List<Entry> chain) {}

    static ByteBuffer encode(long sequence, List<Entry> chain) {
        ByteBuffer b = ByteBuffer.allocate(HEADER + ENTRY * chain.size() + 4);
        b.putLong(MAGIC).putInt(1).putLong(sequence).putInt(chain.size());
        for (Entry e : chain) {
            b.putLong(e.id()).putLong(e.index()).putInt(e.kind() == SnapshotKind.FULL ? 0 : 1).putInt(0);
        }
        b.putInt(PartFormat.crc(b.array(), 0, b.position()));
        return b.flip();
    }

    /**
     * Reads and checks the manifest: checksum, and a chain shape of one FULL part followed by DELTAs with strictly
     * increasing indices.
     *
     * @throws CorruptedStoreException naming the manifest and the offset of what is wrong
     */
    static Contents read(FileIO io, Path file) throws IOException {
        try (FileHandle h = io.open(file, false)) {
            return read(h, file);
        }
    }

    /**
     * Reads and checks the manifest through an open handle (see {@link #read(FileIO, Path)}).
     *
     * @throws CorruptedStoreException naming the manifest and the offset of what is wrong
     */
    static Contents read(FileHandle h, Path file) throws IOException {
        String where = file.toString();
        ByteBuffer all;
        {
            long size = h.size();
            if (size < HEADER + 4 || size > HEADER + 4 + (long) ENTRY * MAX_PARTS) {
                throw new CorruptedStoreException(where, Math.min(size, HEADER), "snapshot manifest of impossible size "
                        + size);
            }
            all = ByteBuffer.allocate((int) size);
            if (h.readFully(all, 0) < size) {
                throw new CorruptedStoreException(where, all.position(), "snapshot manifest cut short");
            }
        }
        int size = all.capacity();
        if (all.getLong(0) != MAGIC || all.getInt(8) != 1) {
            throw new CorruptedStoreException(where, 0, "bad snapshot manifest magic or version");
        }
        int n = all.getInt(20);
        if (n < 1 || n > MAX_PARTS || size != HEADER + ENTRY * n + 4) {
            throw new CorruptedStoreException(where, 20, "snapshot manifest part count " + n + " does not match its "
                    + size + " bytes");
        }
        if (PartFormat.crc(all.array(), 0, size - 4) != all.getInt(size - 4)) {
            throw new CorruptedStoreException(where, size - 4, "snapshot manifest checksum mismatch");
        }
        List<Entry> chain = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int at = HEADER + ENTRY * i;
            int kind = all.getInt(at + 16);
            long index = all.getLong(at + 8);
            boolean shape = kind == (i == 0 ? 0 : 1) && index >= 0 && all.getLong(at) >= 0
                    && (i == 0 || index > chain.get(i - 1).index());
            if (!shape) {
                throw new CorruptedStoreException(where, at, "snapshot manifest entry " + i
                        + " breaks the chain (kind " + kind + ", index " + index + ")");
            }
            chain.add(new Entry(all.getLong(at), index, kind == 0 ? SnapshotKind.FULL : SnapshotKind.DELTA));
        }
        return new Contents(all.getLong(12), List.copyOf(chain));
    }
}
