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
import io.flotilla.spi.StoreFailedException;
import io.flotilla.store.file.internal.io.SimFileIO;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** File-specific snapshot behaviour on a simulated disk: layout, deletion, faults, damage. */
class FileSnapshotStoreTest {
    private static final Path DIR = Path.of("/sim/snapshots");
    private static final ClusterConfig CONFIG = ClusterConfig.ofVoters(Map.of(NodeId.of("n1"), URI.create("mem://n1")));
    private final SimFileIO disk = new SimFileIO();

    static byte[] data(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static void commit(FileSnapshotStore s, long index, SnapshotKind kind, byte[] data) throws IOException {
        try (SnapshotWriter w = s.create(new SnapshotMeta(index, 1, CONFIG), kind)) {
            w.output().write(data);
            w.commit();
        }
    }

    /** The chain's part files, base first, as the manifest names them. */
    static List<Path> chainFiles(SimFileIO disk, Path dir) throws IOException {
        return Manifest.read(disk, dir.resolve(Manifest.NAME)).chain().stream().map(e -> e.file(dir)).toList();
    }

    @Test
    void chain_isReloadedOnStart_andSupersededChainsAreDeletedWhenNoReaderHoldsThem() throws IOException {
        FileSnapshotStore s = FileSnapshotStore.open(disk, DIR);
        commit(s, 10, SnapshotKind.FULL, data(1000, 1));
        commit(s, 20, SnapshotKind.DELTA, data(100, 2));
        commit(s, 30, SnapshotKind.DELTA, data(100, 3));
        s.close();
        FileSnapshotStore reopened = FileSnapshotStore.open(disk, DIR);
        SnapshotReader r = reopened.openLatest().orElseThrow();
        assertEquals(30, r.meta().lastIncludedIndex());
        assertEquals(List.of(SnapshotKind.FULL, SnapshotKind.DELTA, SnapshotKind.DELTA),
                r.parts().stream().map(p -> p.kind()).toList());
        commit(reopened, 40, SnapshotKind.FULL, data(500, 4));
        assertEquals(5, disk.list(DIR).size(), "MANIFEST, the new part and the old chain, held by a reader");
        assertEquals(4, reopened.storedParts());
        try (InputStream in = r.parts().get(1).open()) {
            assertArrayEquals(data(100, 2), in.readAllBytes());
        }
        r.close();
        assertEquals(List.of(chainFiles(disk, DIR).get(0).getFileName().toString(), Manifest.NAME), disk.list(DIR),
                "the old chain is deleted once its reader is closed");
        assertEquals(40, FileSnapshotStore.open(disk, DIR).latest().orElseThrow().lastIncludedIndex());
    }

    @Test
    void merge_getsANewFileName_andTheOldChainIsDeletedAfterTheLastReader() throws IOException {
        FileSnapshotStore s = FileSnapshotStore.open(disk, DIR);
        commit(s, 10, SnapshotKind.FULL, data(1000, 1));
        List<Path> before = chainFiles(disk, DIR);
        SnapshotReader r = s.openLatest().orElseThrow();
        commit(s, 10, SnapshotKind.FULL, data(900, 2)); // a merge of a one-part chain: same index, new file
        List<Path> after = chainFiles(disk, DIR);
        assertEquals(1, after.size());
        assertTrue(!after.get(0).equals(before.get(0)), "a merge must not overwrite a part a reader holds");
        try (InputStream in = r.parts().get(0).open()) {
            assertArrayEquals(data(1000, 1), in.readAllBytes());
        }
        r.close();
        assertEquals(2, disk.list(DIR).size());
        commit(s, 20, SnapshotKind.DELTA, data(50, 3));
        commit(s, 20, SnapshotKind.FULL, data(950, 4));
        assertEquals(List.of(chainFiles(disk, DIR).get(0).getFileName().toString(), Manifest.NAME), disk.list(DIR));
        try (SnapshotReader merged = FileSnapshotStore.open(disk, DIR).openLatest().orElseThrow();
                InputStream in = merged.parts().get(0).open()) {
            assertArrayEquals(data(950, 4), in.readAllBytes());
        }
    }

    @Test
    void damagedPart_refusesToOpen_namingFileAndOffset_andDeletesNothing() throws IOException {
        FileSnapshotStore s = FileSnapshotStore.open(disk, DIR);
        commit(s, 10, SnapshotKind.FULL, data(200_000, 1));
        Path part = chainFiles(disk, DIR).get(0);
        disk.flipBit(part, 150_000, 2);
        List<String> files = disk.list(DIR);
        CorruptedStoreException e = assertThrows(CorruptedStoreException.class, () -> FileSnapshotStore.open(disk, DIR));
        assertEquals(part.toString(), e.location());
        assertTrue(e.offset().orElseThrow() > 100_000 && e.offset().orElseThrow() <= 150_000, e.getMessage());
        assertEquals(files, disk.list(DIR), "a refused open deletes nothing");
    }

    @Test
    void missingChainPart_refusesToOpen() throws IOException {
        FileSnapshotStore s = FileSnapshotStore.open(disk, DIR);
        commit(s, 10, SnapshotKind.FULL, data(2000, 1));
        commit(s, 20, SnapshotKind.DELTA, data(200, 2));
        Path delta = chainFiles(disk, DIR).get(1);
        disk.delete(delta);
        CorruptedStoreException e = assertThrows(CorruptedStoreException.class, () -> FileSnapshotStore.open(disk, DIR));
        assertEquals(delta.toString(), e.location());
    }

    @Test
    void damageFoundWhileReading_failsBeforeTheBadBlockIsReturned() throws IOException {
        FileSnapshotStore s = FileSnapshotStore.open(disk, DIR);
        byte[] d = data(3 * PartFormat.BLOCK, 7);
        commit(s, 10, SnapshotKind.FULL, d);
        SnapshotReader r = s.openLatest().orElseThrow();
        disk.flipBit(chainFiles(disk, DIR).get(0), 2L * PartFormat.BLOCK + 500, 0);
        try (InputStream in = r.parts().get(0).open()) {
            byte[] first = in.readNBytes(PartFormat.BLOCK);
            assertArrayEquals(java.util.Arrays.copyOf(d, PartFormat.BLOCK), first);
            assertThrows(CorruptedStoreException.class, () -> in.readNBytes(PartFormat.BLOCK * 2));
        }
    }

    @Test
    void diskFull_whileWritingThePartOrTheManifest_keepsThePreviousSnapshot_andTheStoreUsable() throws IOException {
        FileSnapshotStore s = FileSnapshotStore.open(disk, DIR);
        commit(s, 10, SnapshotKind.FULL, data(1000, 1));
        disk.setCapacity(disk.usedBytes() + 10_000);
        assertThrows(StorageFullException.class, () -> commit(s, 20, SnapshotKind.FULL, data(100_000, 2)));
        assertEquals(10, s.latest().orElseThrow().lastIncludedIndex());
        assertEquals(2, disk.list(DIR).size(), "the partial part was removed");
        // room for the part but not for the new manifest next to the old one
        disk.setCapacity(Long.MAX_VALUE);
        disk.onOperation(op -> {
            if (op.startsWith("create") && op.endsWith(Manifest.TMP_NAME)) {
                disk.setCapacity(disk.usedBytes());
            }
        });
        assertThrows(StorageFullException.class, () -> commit(s, 20, SnapshotKind.FULL, data(3000, 3)));
        assertEquals(10, s.latest().orElseThrow().lastIncludedIndex());
        assertEquals(2, disk.list(DIR).size(), "the unpublished part and the manifest draft were removed");
        disk.onOperation(op -> {});
        disk.setCapacity(Long.MAX_VALUE);
        commit(s, 20, SnapshotKind.DELTA, data(300, 4));
        assertEquals(20, FileSnapshotStore.open(disk, DIR).latest().orElseThrow().lastIncludedIndex());
    }

    @Test
    void failedFlush_ofThePartOrTheManifest_failsTheStoreForGood_andTheOldChainSurvives() throws IOException {
        for (String victim : new String[] {".part.tmp", Manifest.TMP_NAME}) {
            SimFileIO d = new SimFileIO();
            FileSnapshotStore s = FileSnapshotStore.open(d, DIR);
            commit(s, 10, SnapshotKind.FULL, data(1000, 1));
            d.failForce(p -> p.getFileName().toString().endsWith(victim));
            IOException e = assertThrows(IOException.class, () -> commit(s, 10, SnapshotKind.FULL, data(800, 2)));
            assertTrue(e.getMessage().contains("EIO"), e.getMessage());
            assertThrows(StoreFailedException.class, s::latest, "the store stays failed after a failed flush");
            assertThrows(StoreFailedException.class, () -> s.create(new SnapshotMeta(20, 1, CONFIG),
                    SnapshotKind.FULL));
            d.failForce(p -> false);
            SimFileIO crashed = d.crash(d.pendingWrites(), 0, false);
            FileSnapshotStore reopened = FileSnapshotStore.open(crashed, DIR);
            try (SnapshotReader r = reopened.openLatest().orElseThrow(); InputStream in = r.parts().get(0).open()) {
                assertArrayEquals(data(1000, 1), in.readAllBytes(), "the old chain after a failed " + victim);
            }
            assertEquals(2, crashed.list(DIR).size(), "leftovers deleted on open: " + crashed.list(DIR));
        }
    }

    @Test
    void unknownFiles_areLeftAlone() throws IOException {
        disk.createDirectories(DIR);
        try (var h = disk.open(DIR.resolve("00000000000000000010-full.part"), true)) {
            h.write(java.nio.ByteBuffer.wrap(data(100, 1)), 0);
        }
        FileSnapshotStore s = FileSnapshotStore.open(disk, DIR);
        assertTrue(s.latest().isEmpty());
        commit(s, 5, SnapshotKind.FULL, data(10, 2));
        assertTrue(FileSnapshotStore.open(disk, DIR).latest().isPresent());
        assertTrue(disk.list(DIR).contains("00000000000000000010-full.part"), "an unknown file was deleted");
    }
}
