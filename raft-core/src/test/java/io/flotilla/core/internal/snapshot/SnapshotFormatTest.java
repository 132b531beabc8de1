package io.flotilla.core.internal.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.flotilla.ClusterConfig;
import io.flotilla.NodeId;
import io.flotilla.SnapshotMeta;
import io.flotilla.spi.CorruptedStoreException;
import io.flotilla.spi.SnapshotKind;
import io.flotilla.spi.SnapshotPart;
import io.flotilla.spi.SnapshotReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The snapshot container: round trips, a chain re-encoded as one stream, and typed errors for damaged data. */
class SnapshotFormatTest {
    private static final long SEED = Long.getLong("snapshot.format.seed", System.nanoTime());
    private static final ClusterConfig CONFIG = ClusterConfig.ofVoters(Map.of(NodeId.of("a"), URI.create("mem://a")));

    /** A stored part held in memory. */
    private record Stored(SnapshotKind kind, SnapshotMeta meta, byte[] data) implements SnapshotPart {
        @Override
        public long sizeBytes() {
            return data.length;
        }

        @Override
        public InputStream open() {
            return new java.io.ByteArrayInputStream(data);
        }
    }

    private record Chain(List<SnapshotPart> parts) implements SnapshotReader {
        @Override
        public SnapshotMeta meta() {
            return parts.get(parts.size() - 1).meta();
        }

        @Override
        public void close() {}
    }

    private static byte[] container(SnapshotKind kind, SnapshotMeta meta, byte[] image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SnapshotFormat.writeHeader(out);
        try (OutputStream part = SnapshotFormat.beginPart(out, kind, meta)) {
            part.write(image);
        }
        SnapshotFormat.writeEnd(out);
        return out.toByteArray();
    }

    private static byte[] random(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt();
        }
        return b;
    }

    private static SnapshotMeta meta(long index) {
        return new SnapshotMeta(index, 2, CONFIG);
    }

    @Test
    void chain_reencodedAsOneStream_readsBackAsTheSameLogicalParts() throws IOException {
        SplittableRandom r = new SplittableRandom(SEED);
        System.out.println("SnapshotFormatTest seed " + SEED + " (-Dsnapshot.format.seed=" + SEED + ")");
        byte[] base = random(r, 200_000 + r.nextInt(100_000)); // several frames
        byte[] d1 = random(r, r.nextInt(5000));
        byte[] d2 = new byte[0]; // an empty delta is valid
        List<SnapshotPart> stored = List.of(
                new Stored(SnapshotKind.FULL, meta(10), container(SnapshotKind.FULL, meta(10), base)),
                new Stored(SnapshotKind.DELTA, meta(20), container(SnapshotKind.DELTA, meta(20), d1)),
                new Stored(SnapshotKind.DELTA, meta(30), container(SnapshotKind.DELTA, meta(30), d2)));
        LogicalChain local = LogicalChain.open(new Chain(stored));
        assertEquals(3, local.parts().size());
        assertArrayEquals(d1, local.parts().get(1).open().readAllBytes());

        // What a leader sends, read in odd-sized pieces, is what a follower stores as ONE full part.
        ChainEncoder enc = new ChainEncoder(local.parts());
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        byte[] buf = new byte[1 + r.nextInt(3000)];
        int n;
        while ((n = enc.read(buf, 0, buf.length)) > 0) {
            wire.write(buf, 0, n);
        }
        assertEquals(wire.size(), enc.position());
        LogicalChain received = LogicalChain.open(new Chain(List.of(
                new Stored(SnapshotKind.FULL, meta(30), wire.toByteArray()))));
        assertEquals(1, received.storedPartCount());
        List<byte[]> images = new ArrayList<>();
        for (SnapshotPart p : received.parts()) {
            images.add(p.open().readAllBytes());
        }
        assertEquals(List.of(SnapshotKind.FULL, SnapshotKind.DELTA, SnapshotKind.DELTA),
                received.parts().stream().map(SnapshotPart::kind).toList());
        assertEquals(List.of(10L, 20L, 30L),
                received.parts().stream().map(p -> p.meta().lastIncludedIndex()).toList());
        assertArrayEquals(base, images.get(0));
        assertArrayEquals(d1, images.get(1));
        assertArrayEquals(d2, images.get(2));
        assertEquals(base.length, received.parts().get(0).sizeBytes());
    }

    @Test
    void flippedBit_inData_isACorruptionError_whenRead() throws IOException {
        byte[] image = random(new SplittableRandom(SEED), 100_000);
        byte[] c = container(SnapshotKind.FULL, meta(5), image);
        c[c.length / 2] ^= 0x10;
        LogicalChain chain = LogicalChain.open(new Chain(List.of(new Stored(SnapshotKind.FULL, meta(5), c))));
        assertThrows(CorruptedStoreException.class, () -> chain.parts().get(0).open().readAllBytes());
    }

    @Test
    void truncated_orForeignData_isACorruptionError_whenOpened() throws IOException {
        byte[] c = container(SnapshotKind.FULL, meta(5), new byte[70_000]);
        byte[] cut = java.util.Arrays.copyOf(c, c.length - 100);
        assertThrows(CorruptedStoreException.class, () -> LogicalChain.open(new Chain(List.of(
                new Stored(SnapshotKind.FULL, meta(5), cut)))));
        assertThrows(CorruptedStoreException.class, () -> LogicalChain.open(new Chain(List.of(
                new Stored(SnapshotKind.FULL, meta(5), "not a snapshot".getBytes())))));
    }

    @Test
    void chainThatDoesNotStartWithAFullImage_orEndsElsewhere_isRefused() throws IOException {
        byte[] delta = container(SnapshotKind.DELTA, meta(5), new byte[10]);
        assertThrows(CorruptedStoreException.class, () -> LogicalChain.open(new Chain(List.of(
                new Stored(SnapshotKind.FULL, meta(5), delta)))));
        byte[] full = container(SnapshotKind.FULL, meta(5), new byte[10]);
        assertThrows(CorruptedStoreException.class, () -> LogicalChain.open(new Chain(List.of(
                new Stored(SnapshotKind.FULL, meta(6), full)))));
    }
}
