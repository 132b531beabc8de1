package io.flotilla.testkit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.flotilla.SnapshotMeta;
import io.flotilla.spi.Capability;
import io.flotilla.spi.SnapshotKind;
import io.flotilla.spi.SnapshotReader;
import io.flotilla.spi.SnapshotStore;
import io.flotilla.spi.SnapshotWriter;
import io.flotilla.testkit.internal.SnapshotChecks.Expected;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * One seeded random sequence of snapshot operations checked against a model: new FULL chains, DELTAs, merges
 * (a FULL at the latest index), writers abandoned without commit, rejected creates, readers held across later
 * commits and checked when released, and reopens. After each step the store's chain must equal the model's.
 * Single-threaded.
 */
public final class SnapshotModelRun {
    /** Opens the store of a directory; empty if the store cannot be reopened (volatile). */
    @FunctionalInterface
    public interface Opener {
        /**
         * Opens or reopens the store kept in {@code dir}.
         *
         * @param dir the directory
         * @param reopen whether an earlier store of {@code dir} was closed (a restart)
         * @return the store, or empty if it cannot be reopened
         * @throws IOException if opening fails
         */
        Optional<SnapshotStore> open(Path dir, boolean reopen) throws IOException;
    }

    private record HeldReader(SnapshotReader reader, List<Expected> chain) {}

    private final Opener opener;
    private final Path dir;
    private final SplittableRandom rnd;
    private final int steps;
    private final List<HeldReader> held = new ArrayList<>();
    private List<Expected> chain = List.of();
    private SnapshotStore store;

    /**
     * Creates the run.
     *
     * @param opener opens the store
     * @param dir the store's directory
     * @param seed the seed
     * @param steps how many operations
     */
    public SnapshotModelRun(Opener opener, Path dir, long seed, int steps) {
        this.opener = opener;
        this.dir = dir;
        this.rnd = new SplittableRandom(seed);
        this.steps = steps;
    }

    private long latest() {
        return chain.isEmpty() ? -1 : chain.get(chain.size() - 1).meta().lastIncludedIndex();
    }

    private long size() {
        int r = rnd.nextInt(10);
        return r == 0 ? 0 : r < 8 ? rnd.nextInt(3000) : 60_000 + rnd.nextInt(20_000);
    }

    /**
     * Runs the steps, then closes everything.
     *
     * @throws IOException if the store fails unexpectedly
     */
    public void run() throws IOException {
        store = opener.open(dir, false).orElseThrow();
        boolean incremental = store.capabilities().contains(Capability.INCREMENTAL_SNAPSHOTS);
        try {
            for (int step = 0; step < steps; step++) {
                String what = "step " + step;
                int op = rnd.nextInt(100);
                long seed = rnd.nextLong();
                if (op < 30 || chain.isEmpty()) {
                    commit(new SnapshotMeta(latest() + 1 + rnd.nextInt(5), 1 + step, TestData.config()),
                            SnapshotKind.FULL, seed, false);
                } else if (op < 55 && incremental) {
                    commit(new SnapshotMeta(latest() + 1 + rnd.nextInt(5), 1 + step, TestData.config()),
                            SnapshotKind.DELTA, seed, false);
                } else if (op < 67) {
                    SnapshotMeta last = chain.get(chain.size() - 1).meta();
                    commit(new SnapshotMeta(last.lastIncludedIndex(), last.lastIncludedTerm(), TestData.config()),
                            SnapshotKind.FULL, seed, false);
                } else if (op < 75) {
                    SnapshotKind k = incremental && rnd.nextBoolean() ? SnapshotKind.DELTA : SnapshotKind.FULL;
                    commit(new SnapshotMeta(latest() + 1, 1, TestData.config()), k, seed, true);
                } else if (op < 80) {
                    if (latest() > 0) {
                        long below = rnd.nextLong(latest());
                        SnapshotKind k = rnd.nextBoolean() ? SnapshotKind.FULL : SnapshotKind.DELTA;
                        assertThrows(IllegalArgumentException.class, () -> store.create(new SnapshotMeta(below, 1,
                                TestData.config()), k), what + ": " + k + " at " + below + " below the latest index");
                    }
                    if (incremental) {
                        assertThrows(IllegalArgumentException.class, () -> store.create(new SnapshotMeta(latest(),
                                1, TestData.config()), SnapshotKind.DELTA), what + ": DELTA at the latest index");
                    }
                } else if (op < 90) {
                    if (held.size() < 3) {
                        held.add(new HeldReader(store.openLatest().orElseThrow(), chain));
                    } else {
                        release(held.remove(rnd.nextInt(held.size())), what);
                    }
                } else {
                    while (!held.isEmpty()) {
                        release(held.remove(0), what);
                    }
                    store.close();
                    Optional<SnapshotStore> reopened = opener.open(dir, true);
                    store = reopened.isPresent() ? reopened.get() : opener.open(dir, false).orElseThrow();
                    if (reopened.isEmpty()) {
                        chain = List.of();
                    }
                }
                if (step % 4 == 3) {
                    SnapshotChecks.assertChain(store, chain, what);
                } else {
                    assertEquals(chain.isEmpty() ? Optional.empty() : Optional.of(chain.get(chain.size() - 1).meta()),
                            store.latest(), what + ": latest()");
                }
            }
            while (!held.isEmpty()) {
                release(held.remove(0), "end");
            }
            SnapshotChecks.assertChain(store, chain, "end");
        } finally {
            for (HeldReader h : held) {
                h.reader().close();
            }
            store.close();
        }
    }

    private void commit(SnapshotMeta meta, SnapshotKind kind, long seed, boolean abandon) throws IOException {
        long size = size();
        try (SnapshotWriter w = store.create(meta, kind)) {
            Streams.Digest d = Streams.write(w.output(), seed, size);
            if (abandon) {
                return; // closed without commit: nothing changes
            }
            w.commit();
            List<Expected> next = new ArrayList<>(kind == SnapshotKind.FULL ? List.of() : chain);
            next.add(new Expected(meta, d));
            chain = List.copyOf(next);
        }
    }

    private static void release(HeldReader h, String what) throws IOException {
        SnapshotChecks.assertReader(h.reader(), h.chain(), what + ": a reader held across later commits");
        h.reader().close();
    }
}
