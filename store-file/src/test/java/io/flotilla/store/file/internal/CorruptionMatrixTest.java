package io.flotilla.store.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.flotilla.ClusterConfig;
import io.flotilla.HardState;
import io.flotilla.NodeId;
import io.flotilla.SnapshotMeta;
import io.flotilla.spi.CorruptedStoreException;
import io.flotilla.spi.SnapshotKind;
import io.flotilla.spi.SnapshotWriter;
import io.flotilla.store.file.FileStoreOptions;
import io.flotilla.store.file.internal.io.SimFileIO;
import io.flotilla.store.file.internal.log.LogFormat;
import io.flotilla.store.file.internal.snapshot.FileSnapshotStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Corruption matrix: {bit flip, zeroed 512-byte sector, truncation} × each region of the format, one dynamic test
 * per cell with the expected outcome. The fixture: 50 entries of 100 bytes appended one per call (each
 * acknowledged) into 4 KiB segments, so segment 1 is sealed and the last segment holds 22 records over 7
 * sectors; the hard state saved twice (slot A newest, sequence 2; slot B sequence 1); a snapshot chain of a FULL
 * base of 5000 bytes and a DELTA of 3000 bytes, named by the snapshot MANIFEST. Every damaged snapshot file makes
 * the store refuse to open, naming the file and an offset, and deleting nothing (the damaged chain is never
 * silently replaced by another one or by none).
 */
class CorruptionMatrixTest {
    private static final Path ROOT = Path.of("/sim/n1");
    private static final Path LOG = ROOT.resolve(FileStorage.LOG_DIR);
    private static final Path STATE = ROOT.resolve(FileStorage.STATE_DIR).resolve("hardstate");
    private static final Path SNAPSHOTS = ROOT.resolve(FileStorage.SNAPSHOT_DIR);
    private static final Path MANIFEST = SNAPSHOTS.resolve(FileSnapshotStore.MANIFEST);
    private static final FileStoreOptions OPTIONS = FileStoreOptions.defaults().withSegmentBytes(4096)
            .withCacheBytes(0);
    private static final int N = 50;
    private static final int RECORD = LogFormat.RECORD_HEADER_BYTES + 100;
    private static final HardState NEWEST = HardState.of(7, NodeId.of("n2"));
    private static final HardState PREVIOUS = HardState.of(6);

    enum Fault { BIT_FLIP, ZERO_SECTOR, TRUNCATE }

    /** What must happen on open. */
    enum Outcome {
        /** Refuses to open with CorruptedStoreException. */
        REFUSES,
        /** Opens with all N entries and the newest hard state. */
        OPENS_INTACT,
        /** Opens with the hard state of the other (older) slot. */
        OPENS_PREVIOUS_STATE,
        /** Opens having dropped the last entries: a damaged tail is indistinguishable from a torn write. */
        OPENS_TAIL_DROPPED
    }

    private record Region(String name, Path file, long offset) {}

    private SimFileIO fixture() throws IOException {
        SimFileIO disk = new SimFileIO();
        try (FileStorage s = FileStorage.open(disk, ROOT, OPTIONS, "n1")) {
            for (long i = 1; i <= N; i++) {
                s.log().append(Entries.run(i, i, 1, 100));
            }
            s.state().save(PREVIOUS);
            s.state().save(NEWEST);
            ClusterConfig config = ClusterConfig.ofVoters(Map.of(NodeId.of("n1"), URI.create("mem://n1")));
            try (SnapshotWriter w = s.snapshots().create(new SnapshotMeta(10, 1, config), SnapshotKind.FULL)) {
                byte[] data = new byte[5000];
                new java.util.Random(5).nextBytes(data);
                w.output().write(data);
                w.commit();
            }
            try (SnapshotWriter w = s.snapshots().create(new SnapshotMeta(20, 1, config), SnapshotKind.DELTA)) {
                byte[] data = new byte[3000];
                new java.util.Random(6).nextBytes(data);
                w.output().write(data);
                w.commit();
            }
        }
        return disk;
    }

    private static Path lastSegment(SimFileIO disk) throws IOException {
        List<String> names = disk.list(LOG).stream().filter(n -> LogFormat.parseSegmentName(n) >= 0).toList();
        return LOG.resolve(names.get(names.size() - 1));
    }

    private static List<Path> snapshotChain(SimFileIO disk) throws IOException {
        try (FileSnapshotStore s = FileSnapshotStore.open(disk, SNAPSHOTS)) {
            return s.chainFiles();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCell_hasItsExpectedOutcome() throws IOException {
        SimFileIO probe = fixture();
        Path sealed = LOG.resolve(LogFormat.segmentName(1));
        Path last = lastSegment(probe);
        long lastLen = probe.contents(last).length;
        long records = (lastLen - LogFormat.SEGMENT_HEADER_BYTES) / RECORD;
        assertTrue(probe.list(LOG).size() >= 2, "fixture needs a sealed segment");
        long firstOfLast = LogFormat.parseSegmentName(last.getFileName().toString());
        long lastRecordCount = N - firstOfLast + 1;
        long lastRecord = LogFormat.SEGMENT_HEADER_BYTES + (lastRecordCount - 1) * RECORD;
        long midRecord = LogFormat.SEGMENT_HEADER_BYTES + 5 * RECORD; // ~sector 1 of the last segment
        assertTrue(records > 0 && lastRecordCount > 10, "fixture shape");
        List<Path> chain = snapshotChain(probe);
        Path base = chain.get(0);
        Path delta = chain.get(1);

        List<Region> regions = List.of(
                new Region("segment header (last segment)", last, 17),
                new Region("segment header (sealed segment)", sealed, 17),
                new Region("record header (mid-log)", last, midRecord + 9),
                new Region("payload (mid-log)", last, midRecord + LogFormat.RECORD_HEADER_BYTES + 50),
                new Region("last record", last, lastRecord + LogFormat.RECORD_HEADER_BYTES + 50),
                new Region("sealed segment record", sealed, LogFormat.SEGMENT_HEADER_BYTES + 3L * RECORD + 60),
                new Region("hard-state slot A", STATE, 17),
                new Region("hard-state slot B", STATE, 512 + 17),
                new Region("hard-state slots A and B", STATE, -1),
                new Region("snapshot base header", base, 20),
                new Region("snapshot base data", base, 3000),
                new Region("snapshot delta header", delta, 30),
                new Region("snapshot delta data", delta, 2000),
                new Region("snapshot delta end record", delta, probe.contents(delta).length - 10),
                new Region("snapshot manifest count", MANIFEST, 20),
                new Region("snapshot manifest entry", MANIFEST, 40));
        List<DynamicTest> tests = new ArrayList<>();
        for (Region r : regions) {
            for (Fault f : Fault.values()) {
                Outcome expected = expected(r.name(), f);
                tests.add(DynamicTest.dynamicTest(f + " x " + r.name() + " -> " + expected,
                        () -> check(r, f, expected)));
            }
        }
        return tests.stream();
    }

    private static Outcome expected(String region, Fault f) {
        switch (region) {
            case "hard-state slot A":
                // A is the newest slot; B (sequence 1) takes over. Cutting the file inside A loses both slots.
                return f == Fault.TRUNCATE ? Outcome.REFUSES : Outcome.OPENS_PREVIOUS_STATE;
            case "hard-state slot B":
                return Outcome.OPENS_INTACT; // B is the older slot (a cut at 512 loses only B)
            case "last record":
                // A zeroed sector at the very end looks exactly like writes that never reached the disk.
                return f == Fault.ZERO_SECTOR ? Outcome.OPENS_TAIL_DROPPED : Outcome.REFUSES;
            default:
                return Outcome.REFUSES;
        }
    }

    private void damage(SimFileIO disk, Region r, Fault f) throws IOException {
        if (r.offset() < 0) { // both hard-state slots
            if (f != Fault.TRUNCATE) {
                damage(disk, new Region(r.name(), r.file(), 512 + 17), f);
            }
            damage(disk, new Region(r.name(), r.file(), 17), f);
            return;
        }
        switch (f) {
            case BIT_FLIP:
                disk.flipBit(r.file(), r.offset(), 4);
                break;
            case ZERO_SECTOR:
                disk.zero(r.file(), r.offset() / 512 * 512, 512);
                break;
            default:
                disk.truncateAtRest(r.file(), r.offset());
                break;
        }
    }

    private void check(Region r, Fault f, Outcome expected) throws IOException {
        SimFileIO disk = fixture();
        damage(disk, r, f);
        List<String> snapshotFiles = disk.list(SNAPSHOTS);
        FileStorage s;
        try {
            s = FileStorage.open(disk, ROOT, OPTIONS, "n1");
        } catch (CorruptedStoreException e) {
            assertEquals(Outcome.REFUSES, expected, "refused unexpectedly: " + e.getMessage());
            assertTrue(e.location().endsWith(r.file().getFileName().toString()), "names the file: " + e.getMessage());
            if (r.name().startsWith("snapshot")) {
                assertTrue(e.offset().isPresent(), "names the offset: " + e.getMessage());
                assertEquals(snapshotFiles, disk.list(SNAPSHOTS), "a refused open deleted snapshot files");
            }
            return;
        }
        try (s) {
            if (expected == Outcome.REFUSES) {
                fail("opened despite damage; lastIndex " + s.log().lastIndex());
            }
            long lastIndex = s.log().lastIndex();
            if (expected == Outcome.OPENS_TAIL_DROPPED) {
                assertTrue(lastIndex < N, "tail dropped: " + lastIndex);
            } else {
                assertEquals(N, lastIndex);
            }
            assertEquals(Entries.run(1, lastIndex, 1, 100), s.log().entries(1, lastIndex + 1, Long.MAX_VALUE));
            assertEquals(expected == Outcome.OPENS_PREVIOUS_STATE ? PREVIOUS : NEWEST, s.state().load());
        }
    }
}
