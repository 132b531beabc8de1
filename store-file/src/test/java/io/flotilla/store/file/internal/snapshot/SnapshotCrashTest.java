package io.flotilla.store.file.internal.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.ClusterConfig;
import io.flotilla.NodeId;
import io.flotilla.SnapshotMeta;
import io.flotilla.spi.SnapshotKind;
import io.flotilla.spi.SnapshotPart;
import io.flotilla.spi.SnapshotReader;
import io.flotilla.spi.SnapshotWriter;
import io.flotilla.store.file.internal.io.SimFileIO;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Crash-state exploration of snapshot commits, merges and deletions on a {@link SimFileIO}. For every file-system
 * operation of the step under test, every crash state is built — the durable state plus each prefix of the
 * un-synced writes, the next one torn at 512-byte sector boundaries, with and without un-synced directory entries
 * — and the real store is reopened on it. Each must open without error to exactly the old chain or exactly the new
 * one (kinds, metadata and every byte), never a mix, and the directory must then hold only the manifest and that
 * chain's parts (temporary files and orphans deleted). Once the step has returned, only the new chain may appear.
 *
 * <p>Steps: the first FULL on an empty store, a DELTA, a merge of base + 2 deltas, a new FULL chain, a merge while a
 * reader holds the old chain followed by the reader's close (the deletion), and a writer closed without commit.
 * Part sizes span several 64 KiB blocks. Replay a seed with {@code -Dflotilla.store.snapcrash.seed=N}.
 */
class SnapshotCrashTest {
    private static final Path DIR = Path.of("/sim/snapshots");
    private static final ClusterConfig CONFIG = ClusterConfig.ofVoters(Map.of(NodeId.of("n1"), URI.create("mem://n1")));

    /** One committed part as the test expects to read it back. */
    private record Part(SnapshotKind kind, SnapshotMeta meta, byte[] data) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Part p && p.kind == kind && p.meta.equals(meta) && Arrays.equals(p.data, data);
        }

        @Override
        public int hashCode() {
            return meta.hashCode();
        }

        @Override
        public String toString() {
            return kind + "@" + meta.lastIncludedIndex() + "(" + data.length + " bytes)";
        }
    }

    private SplittableRandom rnd;
    private SimFileIO disk;
    private FileSnapshotStore store;
    private List<Part> before = List.of();
    private List<Part> after = List.of();
    private String step = "";
    private int states;

    @Test
    void everyCrashState_opensToTheOldOrTheNewChain_neverAMix_andLeavesNoLeftovers() throws IOException {
        String replay = System.getProperty("flotilla.store.snapcrash.seed");
        long[] seeds = replay != null ? new long[] {Long.parseLong(replay)} : new long[] {11, 12};
        for (long seed : seeds) {
            try {
                scenario(seed);
            } catch (AssertionError | IOException | RuntimeException e) {
                throw new AssertionError("snapshot crash exploration failed for seed " + seed + " in step \"" + step
                        + "\" (replay with -Dflotilla.store.snapcrash.seed=" + seed + "): " + e.getMessage(), e);
            }
        }
        System.out.println("snapshot crash exploration: " + states + " crash states over " + seeds.length + " seeds");
        assertTrue(states > 1000, "explored only " + states + " crash states");
    }

    private void scenario(long seed) throws IOException {
        rnd = new SplittableRandom(seed);
        disk = new SimFileIO();
        before = List.of();
        after = List.of();
        store = FileSnapshotStore.open(disk, DIR);
        disk.onOperation(op -> check(op));
        commitStep("first FULL", 10, SnapshotKind.FULL);
        commitStep("DELTA", 20, SnapshotKind.DELTA);
        commitStep("second DELTA", 30, SnapshotKind.DELTA);
        commitStep("merge of base + 2 deltas", 30, SnapshotKind.FULL);
        commitStep("DELTA on the merged base", 35, SnapshotKind.DELTA);
        commitStep("new FULL chain", 50, SnapshotKind.FULL);
        commitStep("DELTA", 60, SnapshotKind.DELTA);
        SnapshotReader reader = store.openLatest().orElseThrow();
        commitStep("merge while a reader holds the old chain", 60, SnapshotKind.FULL);
        step = "closing the last reader of the superseded chain (deletion)";
        before = after;
        reader.close();
        step = "writer closed without commit";
        try (SnapshotWriter w = store.create(meta(70), SnapshotKind.FULL)) {
            w.output().write(data());
        }
        disk.onOperation(op -> {});
        verify(disk.crash(0, 0, false), "after the last step");
        store.close();
    }

    private static SnapshotMeta meta(long index) {
        return new SnapshotMeta(index, index / 10, CONFIG);
    }

    private byte[] data() {
        int n = switch (rnd.nextInt(4)) {
            case 0 -> rnd.nextInt(600);
            case 1 -> 64 * 1024 + rnd.nextInt(3);
            default -> 70_000 + rnd.nextInt(90_000);
        };
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    private void commitStep(String name, long index, SnapshotKind kind) throws IOException {
        step = name;
        byte[] data = data();
        Part part = new Part(kind, meta(index), data);
        List<Part> next = new ArrayList<>(kind == SnapshotKind.FULL ? List.of() : after);
        next.add(part);
        before = after;
        after = List.copyOf(next);
        try (SnapshotWriter w = store.create(part.meta(), kind)) {
            w.output().write(data);
            w.commit();
        }
        before = after; // committed: from now on only the new chain may appear
        verify(disk.crash(0, 0, false), "right after the commit returned");
    }

    private void check(String op) {
        int pending = disk.pendingWrites();
        List<SimFileIO> crashes = new ArrayList<>();
        crashes.add(disk.crash(pending, 0, true));
        crashes.add(disk.crash(pending, 0, false));
        for (int k = 0; k < pending; k++) {
            int pieces = disk.pendingSectors(k);
            crashes.add(disk.crash(k, 0, false));
            crashes.add(disk.crash(k, 0, true));
            for (int t : new int[] {1, pieces / 2, pieces - 1}) {
                if (t >= 1 && t < pieces) {
                    crashes.add(disk.crash(k, t, false));
                    crashes.add(disk.crash(k, t, true));
                }
            }
        }
        for (SimFileIO c : crashes) {
            try {
                verify(c, "crash after \"" + op + "\"");
            } catch (IOException e) {
                throw new AssertionError("crash after \"" + op + "\" could not be recovered: " + e, e);
            }
        }
    }

    private void verify(SimFileIO c, String when) throws IOException {
        states++;
        FileSnapshotStore s = FileSnapshotStore.open(c, DIR);
        List<Part> got = new ArrayList<>();
        Optional<SnapshotReader> r = s.openLatest();
        if (r.isPresent()) {
            try (SnapshotReader reader = r.get()) {
                for (SnapshotPart p : reader.parts()) {
                    try (InputStream in = p.open()) {
                        got.add(new Part(p.kind(), p.meta(), in.readAllBytes()));
                    }
                }
            }
        }
        if (!got.equals(before) && !got.equals(after)) {
            throw new AssertionError(when + ": opened to " + got + ", neither the old chain " + before
                    + " nor the new one " + after);
        }
        TreeSet<String> expected = new TreeSet<>();
        if (!got.isEmpty()) {
            expected.add(Manifest.NAME);
            Manifest.read(c, DIR.resolve(Manifest.NAME)).chain().forEach(e -> expected.add(e.file(DIR)
                    .getFileName().toString()));
        }
        assertEquals(expected, new TreeSet<>(c.list(DIR)), when + ": leftovers after open");
        s.close();
    }
}
