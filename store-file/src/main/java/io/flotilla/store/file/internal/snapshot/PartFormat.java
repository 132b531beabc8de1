package io.flotilla.store.file.internal.snapshot;

import io.flotilla.Bytes;
import io.flotilla.ClusterConfig;
import io.flotilla.SnapshotMeta;
import io.flotilla.spi.CorruptedStoreException;
import io.flotilla.spi.SnapshotKind;
import io.flotilla.store.file.internal.io.FileHandle;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The format of one snapshot part file, named {@code <index>-<id>-full.part} or {@code <index>-<id>-delta.part}:
 * the last included index (20 digits) and a store-wide unique id (10 or more digits), so that a merge at the same
 * index never reuses a name an open reader may still hold. Which parts form the chain is decided by the
 * {@link Manifest}, never by the names.
 *
 * <pre>
 * header:  0 long magic "FLOTSNP1"  8 int version (1)  12 int kind (0 FULL, 1 DELTA)
 *          16 long lastIncludedIndex  24 long lastIncludedTerm  32 long base (index of the chain's FULL part)
 *          40 long previous (index of the part this one applies on, -1 for FULL)  48 int config length n
 *          52 config ({@link ClusterConfig#toBytes()}), n bytes   52+n int CRC32C of the header so far
 * blocks:  int length (1..{@value #BLOCK}), int CRC32C of the data, data — each verified before use
 * end:     int 0, int block count, long total data bytes, int CRC32C of these 12 bytes
 * </pre>
 *
 * Stateless; thread-safe.
 */
final class PartFormat {
    static final long MAGIC = 0x464C4F54534E5031L;
    static final int BLOCK = 64 * 1024;
    static final int FIXED = 52;
    static final String SUFFIX = ".part";

    private PartFormat() {}

    /** A decoded part header. */
    record Header(SnapshotKind kind, SnapshotMeta meta, long base, long previous, int length) {}

    /** A parsed part file name. */
    record Name(long index, long id, SnapshotKind kind) {}

    private static final java.util.regex.Pattern NAME =
            java.util.regex.Pattern.compile("(\\d{20})-(\\d{10,19})-(full|delta)\\.part");

    static String name(long index, long id, SnapshotKind kind) {
        return String.format("%020d-%010d-%s%s", index, id, kind == SnapshotKind.FULL ? "full" : "delta", SUFFIX);
    }

    /**
     * Parses a part file name (without a {@code .tmp} suffix).
     *
     * @return the parsed name, or empty if {@code file} is not a part name of this format
     */
    static java.util.Optional<Name> parse(String file) {
        java.util.regex.Matcher m = NAME.matcher(file);
        if (!m.matches()) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(new Name(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                    m.group(3).equals("full") ? SnapshotKind.FULL : SnapshotKind.DELTA));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    static ByteBuffer encodeHeader(SnapshotKind kind, SnapshotMeta meta, long base, long previous) {
        Bytes config = meta.config().toBytes();
        ByteBuffer b = ByteBuffer.allocate(FIXED + config.size() + 4);
        b.putLong(MAGIC).putInt(1).putInt(kind == SnapshotKind.FULL ? 0 : 1).putLong(meta.lastIncludedIndex())
                .putLong(meta.lastIncludedTerm()).putLong(base).putLong(previous).putInt(config.size());
        config.copyTo(b);
        CRC32C c = new CRC32C();
        c.update(b.array(), 0, b.position());
        b.putInt((int) c.getValue());
        b.flip();
        return b;
    }

    static Header readHeader(FileHandle f, Path path) throws IOException {
        ByteBuffer fixed = ByteBuffer.allocate(FIXED);
        if (f.readFully(fixed, 0) < FIXED) {
            throw new CorruptedStoreException(path.toString(), 0, "snapshot part header cut short");
        }
        if (fixed.getLong(0) != MAGIC || fixed.getInt(8) != 1) {
            throw new CorruptedStoreException(path.toString(), 0, "bad snapshot part magic or version");
        }
        int n = fixed.getInt(48);
        if (n < 0 || n > (64 << 20)) {
            throw new CorruptedStoreException(path.toString(), 48, "impossible configuration length " + n);
        }
        ByteBuffer all = ByteBuffer.allocate(FIXED + n + 4);
        if (f.readFully(all, 0) < all.capacity()) {
            throw new CorruptedStoreException(path.toString(), 0, "snapshot part header cut short");
        }
        CRC32C c = new CRC32C();
        c.update(all.array(), 0, FIXED + n);
        if ((int) c.getValue() != all.getInt(FIXED + n)) {
            throw new CorruptedStoreException(path.toString(), 0, "snapshot part header checksum mismatch");
        }
        int kind = all.getInt(12);
        SnapshotMeta meta;
        try {
            meta = new SnapshotMeta(all.getLong(16), all.getLong(24),
                    ClusterConfig.fromBytes(Bytes.copyOf(all.array(), FIXED, n)));
        } catch (RuntimeException e) {
            throw new CorruptedStoreException(path.toString(), FIXED, "undecodable snapshot metadata: " + e.getMessage());
        }
        if (kind != 0 && kind != 1) {
            throw new CorruptedStoreException(path.toString(), 12, "unknown snapshot part kind " + kind);
        }
        return new Header(kind == 0 ? SnapshotKind.FULL : SnapshotKind.DELTA, meta, all.getLong(32), all.getLong(40),
                all.capacity());
    }

    static int crc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    /**
     * Verifies every block and the end record.
     *
     * @return the total data bytes
     */
    static long verify(FileHandle f, Path path, int headerLength) throws IOException {
        try (PartInputStream in = new PartInputStream(f, path, headerLength, false)) {
            byte[] sink = new byte[BLOCK];
            while (in.read(sink) >= 0) {
                // reading verifies
            }
            return in.total();
        }
    }
}
