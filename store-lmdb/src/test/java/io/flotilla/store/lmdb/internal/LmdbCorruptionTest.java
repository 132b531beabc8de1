package io.flotilla.store.lmdb.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.Bytes;
import io.flotilla.ClusterConfig;
import io.flotilla.HardState;
import io.flotilla.LogEntry;
import io.flotilla.NodeId;
import io.flotilla.SnapshotMeta;
import io.flotilla.spi.CorruptedStoreException;
import io.flotilla.spi.SnapshotKind;
import io.flotilla.spi.SnapshotWriter;
import io.flotilla.store.lmdb.LmdbStoreOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bit flips at rest in values LMDB stores are detected by the per-value CRC32C (LMDB 0.9 has no page checksums)
 * and reported as {@link CorruptedStoreException}, never returned as data; a lost snapshot is detected against the
 * environment's record. Only value bytes are flipped here: damage to LMDB's own B-tree pages can crash the
 * process, which the crash tests' child JVMs are for.
 */
class LmdbCorruptionTest {
    @TempDir
    Path dir;

    private LmdbStorage open() throws IOException {
        return LmdbStorage.open(dir, LmdbStoreOptions.defaults());
    }

    private static Bytes marked(long index) {
        return Bytes.ofUtf8(String.format("<<payload-%06d-0123456789abcdef>>", index));
    }

    private void writeLog(int n) throws IOException {
        try (LmdbStorage s = open()) {
            List<LogEntry> es = new ArrayList<>();
            for (long i = 1; i <= n; i++) {
                es.add(LogEntry.command(i, 2, marked(i)));
            }
            s.log().append(es);
            s.state().save(HardState.of(7, NodeId.of("voted-node")));
        }
    }

    /** Flips one bit in the middle of the only occurrence of {@code needle} in data.mdb. */
    private void flip(String needle) throws IOException {
        Path data = dir.resolve("lmdb/data.mdb");
        byte[] b = Files.readAllBytes(data);
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        int at = -1;
        for (int i = 0; i + n.length <= b.length && at < 0; i++) {
            if (java.util.Arrays.equals(b, i, i + n.length, n, 0, n.length)) {
                at = i;
            }
        }
        assertTrue(at >= 0, "value not found in data.mdb: " + needle);
        b[at + n.length / 2] ^= 0x10;
        Files.write(data, b);
    }

    @Test
    void bitFlip_inAMidLogEntry_isReportedOnRead_namingTheKey() throws IOException {
        writeLog(50);
        flip("payload-000025");
        try (LmdbStorage s = open()) { // open checks the edges only
            assertEquals(2, s.log().term(24));
            CorruptedStoreException e = assertThrows(CorruptedStoreException.class, () -> s.log().term(25));
            assertTrue(e.getMessage().contains("key 25") && e.getMessage().contains("CRC32C"), e.getMessage());
            assertThrows(CorruptedStoreException.class, () -> s.log().entries(20, 30, Long.MAX_VALUE));
            assertEquals(5, s.log().entries(20, 25, Long.MAX_VALUE).size());
        }
    }

    @Test
    void bitFlip_inTheLastEntry_failsOpen() throws IOException {
        writeLog(10);
        flip("payload-000010");
        assertThrows(CorruptedStoreException.class, this::open);
    }

    @Test
    void bitFlip_inTheHardState_failsOpen_neverFallsBackToTermZero() throws IOException {
        writeLog(3);
        flip("voted-node");
        CorruptedStoreException e = assertThrows(CorruptedStoreException.class, this::open);
        assertTrue(e.getMessage().contains("hardstate"), e.getMessage());
    }

    @Test
    void deletedSnapshotFiles_areDetectedAgainstTheRecord() throws IOException {
        try (LmdbStorage s = open()) {
            SnapshotMeta meta = new SnapshotMeta(5, 2, ClusterConfig.ofVoters(Map.of(NodeId.of("n1"),
                    URI.create("mem://n1"))));
            try (SnapshotWriter w = s.snapshots().create(meta, SnapshotKind.FULL)) {
                w.output().write(new byte[] {1, 2, 3});
                w.commit();
            }
        }
        try (Stream<Path> files = Files.list(dir.resolve(LmdbStorage.SNAPSHOT_DIR))) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.delete(p);
            }
        }
        CorruptedStoreException e = assertThrows(CorruptedStoreException.class, this::open);
        assertTrue(e.getMessage().contains("index 5"), e.getMessage());
    }
}
