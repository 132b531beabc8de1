package io.flotilla.store.file.internal.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.ClusterConfig;
import io.flotilla.NodeId;
import io.flotilla.SnapshotMeta;
import io.flotilla.spi.CorruptedStoreException;
import io.flotilla.spi.SnapshotKind;
import io.flotilla.spi.SnapshotReader;
import io.flotilla.spi.SnapshotWriter;
import io.flotilla.spi.StorageFullException;
import io.flotilla.store.file.internal.io.SimFileIO;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FileSnapshotStoreTest {
    private static final Path DIR = Path.of("/sim/snapshots");
    private static final ClusterConfig CONFIG = ClusterConfig.ofVoters(Map.of(NodeId.of("n1"), URI.create("mem://n1")));
    private final SimFileIO disk = new SimFileIO();

    private static byte[] data(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static void commit(FileSnapshotStore s, long index, SnapshotKind kind, byte[] data) throws IOException {
        try (SnapshotWriter w = s.create(new SnapshotMeta(index, 1, CONFIG), kind)) {
            w.output().write(data);
            w.commit();
        }
    }

    @Test
    void chain_isReloadedOnStart_andSupersededChainsAreDeletedWhenNoReaderHoldsThem() throws IOException {
        FileSnapshotStore s = FileSnapshotStore.open(disk, DIR);
        commit(s, 10, SnapshotKind.FULL, data(1000, 1));
        commit(s, 20, SnapshotKind.DELTA, data(100, 2));
        commit(s, 30, SnapshotKind.DELTA, data(100, 3));
        FileSnapshotStore reopened = FileSnapshotStore.open(disk, DIR);
        SnapshotReader r = reopened.openLatest().orElseThrow();
        assertEquals(30, r.meta().lastIncludedIndex());
        assertEquals(List.of(SnapshotKind.FULL, SnapshotKind.DELTA, SnapshotKind.DELTA),
                r.parts().stream().map(p -> p.kind()).toList());
        commit(reopened, 40, SnapshotKind.FULL, data(500, 4));
        assertEquals(4, disk.list(DIR).size(), "the old chain is kept while a reader holds it");
        try (InputStream in = r.parts().get(1).open()) {
            assertArrayEquals(data(100, 2), in.readAllBytes());
        }
        r.close();
        assertEquals(1, disk.list(DIR).size(), "deleted once the reader is closed");
        assertEquals(40, FileSnapshotStore.open(disk, DIR).latest().orElseThrow().lastIncludedIndex());
    }

    @Test
    void damagedPart_refusesToOpen_namingFileAndOffset() throws IOException {
        FileSnapshotStore s = FileSnapshotStore.open(disk, DIR);
        commit(s, 10, SnapshotKind.FULL, data(200_000, 1));
        Path part = DIR.resolve(PartFormat.name(10, SnapshotKind.FULL));
        disk.flipBit(part, 150_000, 2);
        CorruptedStoreException e = assertThrows(CorruptedStoreException.class, () -> FileSnapshotStore.open(disk, DIR));
        assertEquals(part.toString(), e.location());
        assertTrue(e.offset().orElseThrow() > 100_000 && e.offset().orElseThrow() <= 150_000, e.getMessage());
    }

    @Test
    void damageFoundWhileReading_failsBeforeTheBadBlockIsReturned() throws IOException {
        FileSnapshotStore s = FileSnapshotStore.open(disk, DIR);
        byte[] d = data(3 * PartFormat.BLOCK, 7);
        commit(s, 10, SnapshotKind.FULL, d);
        SnapshotReader r = s.openLatest().orElseThrow();
        disk.flipBit(DIR.resolve(PartFormat.name(10, SnapshotKind.FULL)), 2L * PartFormat.BLOCK + 500, 0);
        try (InputStream in = r.parts().get(0).open()) {
            byte[] first = in.readNBytes(PartFormat.BLOCK);
            assertArrayEquals(java.util.Arrays.copyOf(d, PartFormat.BLOCK), first);
            assertThrows(CorruptedStoreException.class, () -> in.readNBytes(PartFormat.BLOCK * 2));
        }
    }

    @Test
    void diskFull_whileWriting_keepsThePreviousSnapshot() throws IOException {
        FileSnapshotStore s = FileSnapshotStore.open(disk, DIR);
        commit(s, 10, SnapshotKind.FULL, data(1000, 1));
        disk.setCapacity(disk.usedBytes() + 10_000);
        assertThrows(StorageFullException.class, () -> commit(s, 20, SnapshotKind.FULL, data(100_000, 2)));
        assertEquals(10, s.latest().orElseThrow().lastIncludedIndex());
        disk.setCapacity(Long.MAX_VALUE);
        assertEquals(1, disk.list(DIR).size(), "the partial part was removed");
        assertEquals(10, FileSnapshotStore.open(disk, DIR).latest().orElseThrow().lastIncludedIndex());
    }

    @Test
    void crashBeforeRename_leavesThePreviousSnapshot() throws IOException {
        FileSnapshotStore s = FileSnapshotStore.open(disk, DIR);
        commit(s, 10, SnapshotKind.FULL, data(1000, 1));
        SimFileIO[] crash = new SimFileIO[1];
        disk.onOperation(op -> {
            if (op.startsWith("rename")) {
                crash[0] = disk.crash(disk.pendingWrites(), 0, false);
            }
        });
        commit(s, 20, SnapshotKind.DELTA, data(1000, 2));
        FileSnapshotStore recovered = FileSnapshotStore.open(crash[0], DIR);
        assertEquals(10, recovered.latest().orElseThrow().lastIncludedIndex());
        assertEquals(1, crash[0].list(DIR).size(), "the temporary file was removed");
    }
}
