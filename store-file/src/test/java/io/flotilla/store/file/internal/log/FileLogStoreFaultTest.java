package io.flotilla.store.file.internal.log;

import static io.flotilla.store.file.internal.Entries.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.LogEntry;
import io.flotilla.spi.CorruptedStoreException;
import io.flotilla.spi.StorageFullException;
import io.flotilla.spi.StoreFailedException;
import io.flotilla.store.file.internal.io.SimFileIO;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FileLogStoreFaultTest {
    private static final Path DIR = Path.of("/sim/n1/log");
    private final SimFileIO disk = new SimFileIO();

    private FileLogStore open(SimFileIO io) throws IOException {
        return FileLogStore.open(io, DIR, 4096, 1 << 20, "n1");
    }

    private static Path segment(long first) {
        return DIR.resolve(LogFormat.segmentName(first));
    }

    @Test
    void append_writesOnceAndFlushesOncePerBatch_neverPerEntry() throws IOException {
        FileLogStore log = open(disk);
        List<String> ops = new ArrayList<>();
        disk.onOperation(ops::add);
        log.append(run(1, 16, 1, 100));
        assertEquals(2, ops.size(), ops.toString());
        assertTrue(ops.get(0).startsWith("write") && ops.get(1).startsWith("force"), ops.toString());
    }

    @Test
    void tornLastWrite_isTruncatedOnOpen_andEveryAcknowledgedEntrySurvives() throws IOException {
        FileLogStore log = open(disk);
        log.append(run(1, 3, 1, 200));
        List<SimFileIO> crashes = new ArrayList<>();
        disk.onOperation(op -> {
            if (op.startsWith("write")) {
                crashes.add(disk.crash(0, 1, false)); // the batch's first sector piece only
            }
        });
        log.append(run(4, 8, 1, 200));
        assertEquals(1, crashes.size());
        FileLogStore recovered = open(crashes.get(0));
        long last = recovered.lastIndex();
        assertTrue(last >= 3 && last < 8, "recovered lastIndex " + last);
        assertEquals(run(1, last, 1, 200), recovered.entries(1, last + 1, Long.MAX_VALUE));
        recovered.append(run(last + 1, last + 2, 2, 10));
        FileLogStore again = open(crashes.get(0));
        assertEquals(last + 2, again.lastIndex(), "appends after the repair are durable");
    }

    @Test
    void flippedBit_inAMiddleRecordOfTheLastSegment_refusesToOpen_namingFileAndOffset() throws IOException {
        FileLogStore log = open(disk);
        for (long i = 1; i <= 6; i++) {
            log.append(run(i, i, 1, 100));
        }
        long offset3 = LogFormat.SEGMENT_HEADER_BYTES + 2L * (LogFormat.RECORD_HEADER_BYTES + 100);
        disk.flipBit(segment(1), offset3 + LogFormat.RECORD_HEADER_BYTES + 7, 3);
        CorruptedStoreException e = assertThrows(CorruptedStoreException.class, () -> open(disk));
        assertTrue(e.location().endsWith(LogFormat.segmentName(1)), e.location());
        assertEquals(offset3, e.offset().orElseThrow(), e.getMessage());
    }

    @Test
    void flippedBit_inASealedSegment_refusesToOpen() throws IOException {
        FileLogStore log = open(disk);
        for (long i = 1; i <= 60; i++) {
            log.append(run(i, i, 1, 100));
        }
        assertTrue(log.segmentCount() >= 2);
        disk.flipBit(segment(1), LogFormat.SEGMENT_HEADER_BYTES + 20, 0);
        CorruptedStoreException e = assertThrows(CorruptedStoreException.class, () -> open(disk));
        assertTrue(e.getMessage().contains(LogFormat.segmentName(1)), e.getMessage());
    }

    @Test
    void failedFlush_failsTheStoreForGood() throws IOException {
        FileLogStore log = open(disk);
        log.append(run(1, 2, 1, 10));
        disk.failForce(p -> true);
        IOException first = assertThrows(IOException.class, () -> log.append(run(3, 3, 1, 10)));
        assertInstanceOf(StoreFailedException.class, first);
        disk.failForce(p -> false); // the disk "recovers": the store must not
        assertThrows(StoreFailedException.class, () -> log.append(run(3, 3, 1, 10)));
        assertThrows(StoreFailedException.class, log::lastIndex);
        assertThrows(StoreFailedException.class, () -> log.entries(1, 2, 100));
        assertThrows(StoreFailedException.class, () -> log.truncateSuffix(2));
        assertThrows(StoreFailedException.class, () -> log.compactPrefix(1));
        assertEquals(2, open(disk.crash(0, 0, false)).lastIndex(),
                "after a power failure the entry whose flush failed is gone, the rest is intact");
    }

    @Test
    void failedWrite_failsTheStore() throws IOException {
        FileLogStore log = open(disk);
        disk.failWrite(p -> true);
        assertThrows(StoreFailedException.class, () -> log.append(run(1, 1, 1, 10)));
        disk.failWrite(p -> false);
        assertThrows(StoreFailedException.class, log::firstIndex);
    }

    @Test
    void diskFull_whenANewSegmentIsNeeded_throwsStorageFull_logUnchanged_andOpensAfterSpaceIsFreed()
            throws IOException {
        FileLogStore log = open(disk);
        log.append(run(1, 20, 1, 100)); // fills most of the first 4 KiB segment
        disk.setCapacity(disk.usedBytes() + 1000);
        List<LogEntry> more = run(21, 40, 1, 100);
        assertThrows(StorageFullException.class, () -> log.append(more));
        assertEquals(20, log.lastIndex(), "the log is unchanged");
        assertEquals(run(1, 20, 1, 100), log.entries(1, 21, Long.MAX_VALUE));
        assertEquals(20, open(disk.crash(0, 0, false)).lastIndex(), "a crash now keeps exactly the old log");
        disk.setCapacity(Long.MAX_VALUE);
        log.append(more);
        FileLogStore reopened = open(disk);
        assertEquals(run(1, 40, 1, 100), reopened.entries(1, 41, Long.MAX_VALUE));
    }

    @Test
    void diskFull_whileGrowingASegmentForAnOversizeRecord_leavesNoTrace() throws IOException {
        FileLogStore log = open(disk);
        disk.setCapacity(disk.usedBytes() + 1000);
        assertThrows(StorageFullException.class, () -> log.append(run(1, 1, 1, 6000)));
        assertEquals(0, log.lastIndex());
        disk.setCapacity(Long.MAX_VALUE);
        FileLogStore reopened = open(disk);
        assertEquals(0, reopened.lastIndex(), "nothing of the failed append is recovered");
        reopened.append(run(1, 2, 2, 6000));
        assertEquals(run(1, 2, 2, 6000), open(disk).entries(1, 3, Long.MAX_VALUE));
    }

    @Test
    void truncateSuffix_keepsTheSegmentPreallocated_andACrashInsideItOpensCleanly() throws IOException {
        FileLogStore log = open(disk);
        log.append(run(1, 10, 1, 100));
        List<SimFileIO> crashes = new ArrayList<>();
        disk.onOperation(op -> {
            crashes.add(disk.crash(0, 0, false));
            crashes.add(disk.crash(disk.pendingWrites(), 0, true));
        });
        log.truncateSuffix(5);
        disk.onOperation(op -> {});
        assertEquals(4096, disk.contents(segment(1)).length, "re-extended to the preallocated size");
        for (SimFileIO c : crashes) {
            long last = open(c).lastIndex();
            assertTrue(last == 4 || last == 10, "after a crash in truncateSuffix: " + last);
        }
        disk.truncateAtRest(segment(1), 1000);
        CorruptedStoreException e = assertThrows(CorruptedStoreException.class, () -> open(disk));
        assertTrue(e.getMessage().contains("shorter"), e.getMessage());
    }

    @Test
    void readError_isReportedAsIOException() throws IOException {
        FileLogStore log = FileLogStore.open(disk, DIR, 4096, 0, "n1"); // no cache: every read hits the disk
        log.append(run(1, 5, 1, 10));
        disk.failRead(p -> true);
        assertThrows(IOException.class, () -> log.entries(1, 6, Long.MAX_VALUE));
        disk.failRead(p -> false);
        assertEquals(run(1, 5, 1, 10), log.entries(1, 6, Long.MAX_VALUE));
    }

    @Test
    void resetInterruptedAfterTheNewSegment_dropsTheOldSegmentsOnOpen() throws IOException {
        FileLogStore log = open(disk);
        log.append(run(1, 50, 1, 100));
        List<SimFileIO> crashes = new ArrayList<>();
        disk.onOperation(op -> {
            if (op.startsWith("dirsync") && crashes.isEmpty()) {
                crashes.add(disk.crash(disk.pendingWrites(), 0, false)); // reset segment published, old ones not deleted
            }
        });
        log.compactPrefix(100);
        FileLogStore recovered = open(crashes.get(0));
        assertEquals(101, recovered.firstIndex());
        assertEquals(100, recovered.lastIndex());
        assertEquals(1, recovered.segmentCount());
    }

    @Test
    void longLog_keepsMemoryBounded_sparseIndexAndCache() throws IOException {
        FileLogStore log = FileLogStore.open(disk, DIR, 1 << 20, 64 * 1024, "n1");
        for (long i = 1; i <= 20_000; i += 100) {
            log.append(run(i, i + 99, 1, 200));
        }
        assertTrue(log.cachedBytes() <= 64 * 1024, "cache " + log.cachedBytes());
        assertTrue(log.indexPoints() < 200, "index points " + log.indexPoints() + " for 20000 entries");
        FileLogStore reopened = FileLogStore.open(disk, DIR, 1 << 20, 64 * 1024, "n1");
        assertEquals(run(12_345, 12_400, 1, 200), reopened.entries(12_345, 12_401, Long.MAX_VALUE));
        assertEquals(1, reopened.term(19_999));
    }
}
