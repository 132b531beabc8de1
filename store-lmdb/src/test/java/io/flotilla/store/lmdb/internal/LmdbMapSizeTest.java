package io.flotilla.store.lmdb.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.Bytes;
import io.flotilla.HardState;
import io.flotilla.LogEntry;
import io.flotilla.spi.StorageFullException;
import io.flotilla.store.lmdb.LmdbStoreOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The map grows inside a write when it is full, and a full map at its ceiling is a typed error losing nothing. */
class LmdbMapSizeTest {
    private static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    private static List<LogEntry> batch(long from, int n, int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ from);
        List<LogEntry> es = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] b = new byte[size];
            r.nextBytes(b);
            es.add(LogEntry.command(from + i, 1, Bytes.unsafeWrap(b)));
        }
        return es;
    }

    @Test
    void append_beyondTheInitialMap_growsIt_andEverythingSurvivesReopen() throws IOException {
        LmdbStoreOptions options = new LmdbStoreOptions(MIB, 64 * MIB, LmdbStoreOptions.SyncMode.DURABLE);
        List<LogEntry> all = new ArrayList<>();
        try (LmdbStorage s = LmdbStorage.open(dir, options)) {
            for (int b = 0; b < 8; b++) {
                List<LogEntry> es = batch(1 + b * 64L, 64, 8 * 1024, 42);
                s.log().append(es); // 512 KiB per transaction: the 1 MiB map must grow mid-append
                all.addAll(es);
            }
            assertTrue(s.log().lastIndex() == all.size());
        }
        try (LmdbStorage s = LmdbStorage.open(dir, options)) {
            assertEquals(all, s.log().entries(1, all.size() + 1, Long.MAX_VALUE));
        }
    }

    @Test
    void fullMapAtTheCeiling_throwsStorageFull_losesNothing_andAHigherCeilingOpensAndContinues() throws IOException {
        LmdbStoreOptions options = new LmdbStoreOptions(MIB, 2 * MIB, LmdbStoreOptions.SyncMode.DURABLE);
        long next = 1;
        try (LmdbStorage s = LmdbStorage.open(dir, options)) {
            s.state().save(HardState.of(4));
            StorageFullException full = null;
            while (full == null) {
                List<LogEntry> es = batch(next, 16, 4096, 7);
                try {
                    s.log().append(es);
                    next += es.size();
                } catch (StorageFullException e) {
                    full = e;
                }
            }
            assertTrue(full.getMessage().contains("maxMapSizeBytes"), full.getMessage());
            assertTrue(next > 100, "only " + next + " entries fit in a 2 MiB map");
            assertEquals(next - 1, s.log().lastIndex(), "the failed append left the log unchanged");
            assertEquals(batch(1, 16, 4096, 7), s.log().entries(1, 17, Long.MAX_VALUE));
            assertEquals(HardState.of(4), s.state().load());
        }
        // The node stops on a full store; the operator raises the ceiling and it continues where it was.
        try (LmdbStorage s = LmdbStorage.open(dir, options.withMaxMapSizeBytes(8 * MIB))) {
            assertEquals(next - 1, s.log().lastIndex());
            assertEquals(batch(next - 16, 16, 4096, 7), s.log().entries(next - 16, next, Long.MAX_VALUE));
            List<LogEntry> es = batch(next, 16, 4096, 7);
            s.log().append(es);
            assertEquals(es, s.log().entries(next, next + 16, Long.MAX_VALUE));
            assertEquals(HardState.of(4), s.state().load());
        }
    }
}
