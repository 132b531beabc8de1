package io.flotilla.testkit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * One list of snapshot operations checked against a model: new FULL chains, DELTAs, merges (a FULL at the latest
 * index), writers abandoned without commit, rejected creates, readers held across later commits and checked when
 * released, and reopens. After each operation the store's latest snapshot (every fourth operation: its whole
 * chain) must equal the model's. The list is generated from a seed first ({@link #generate}) and executed after,
 * so that a failing list can be shrunk ({@link Shrinker}) and replayed.
 *
 * <p>Operations hold random choices that resolve against the current state when they run (a DELTA or a merge
 * with no snapshot yet starts a new chain; a DELTA on a store without {@link Capability#INCREMENTAL_SNAPSHOTS} is
 * a merge), so every sub-list of a generated list is still a valid run. Single-threaded.
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

    /** What a {@link Commit} creates. */
    public enum Kind {
        /** A FULL part above the latest index: a new chain. */
        NEW_CHAIN,
        /** A DELTA part above the latest index. */
        DELTA,
        /** A FULL part at the latest index, replacing the chain. */
        MERGE
    }

    /** One operation. */
    public sealed interface Op permits Commit, Abandon, InvalidCreates, Reader, Reopen {}

    /**
     * Writes and commits a part {@code 1 + gap} above the latest index (a merge: at it).
     *
     * @param kind what to create
     * @param gap how far above the latest index, minus one
     * @param size the part's size in bytes
     * @param content the content's seed
     */
    public record Commit(Kind kind, int gap, long size, long content) implements Op {}

    /**
     * Writes a part and closes its writer without commit; nothing may change.
     *
     * @param delta a DELTA (if the store supports them) rather than a FULL
     * @param size the part's size in bytes
     * @param content the content's seed
     */
    public record Abandon(boolean delta, long size, long content) implements Op {}

    /**
     * Creates that must throw {@link IllegalArgumentException}: an index below the latest (chosen by {@code pick}),
     * and a DELTA at the latest index.
     *
     * @param pick chooses the index below the latest
     * @param delta whether the create below the latest is a DELTA
     */
    public record InvalidCreates(long pick, boolean delta) implements Op {}

    /**
     * Holds a reader of the latest chain (at most three), or, with three held, releases the one {@code pick}
     * chooses after checking it still reads its chain.
     *
     * @param pick chooses the reader to release
     */
    public record Reader(int pick) implements Op {}

    /** Releases every held reader (checking it), closes the store and opens the directory again. */
    public record Reopen() implements Op {}

    private record HeldReader(SnapshotReader reader, List<Expected> chain) {}

    private final Opener opener;
    private final Path dir;
    private final List<Op> ops;
    private final List<HeldReader> held = new ArrayList<>();
    private final List<String> trace = new ArrayList<>();
    private List<Expected> chain = List.of();
    private SnapshotStore store;
    private boolean incremental;

    /**
     * Creates the run.
     *
     * @param opener opens the store
     * @param dir the store's directory
     * @param ops the operations, e.g. from {@link #generate}
     */
    public SnapshotModelRun(Opener opener, Path dir, List<Op> ops) {
        this.opener = opener;
        this.dir = dir;
        this.ops = List.copyOf(ops);
    }

    /**
     * Generates the operations of one run from a seed; the same seed always gives the same list.
     *
     * @param seed the seed
     * @param steps how many operations
     * @return the operations
     */
    public static List<Op> generate(long seed, int steps) {
        SplittableRandom g = new SplittableRandom(seed);
        List<Op> out = new ArrayList<>(steps);
        for (int step = 0; step < steps; step++) {
            int p = g.nextInt(100);
            long content = g.nextLong();
            if (p < 30) {
                out.add(new Commit(Kind.NEW_CHAIN, g.nextInt(5), size(g), content));
            } else if (p < 55) {
                out.add(new Commit(Kind.DELTA, g.nextInt(5), size(g), content));
            } else if (p < 67) {
                out.add(new Commit(Kind.MERGE, g.nextInt(5), size(g), content));
            } else if (p < 75) {
                out.add(new Abandon(g.nextBoolean(), size(g), content));
            } else if (p < 80) {
                out.add(new InvalidCreates(g.nextLong(Long.MAX_VALUE), g.nextBoolean()));
            } else if (p < 90) {
                out.add(new Reader(g.nextInt(Integer.MAX_VALUE)));
            } else {
                out.add(new Reopen());
            }
        }
        return out;
    }

    private static long size(SplittableRandom g) {
        int r = g.nextInt(10);
        return r == 0 ? 0 : r < 8 ? g.nextInt(3000) : 60_000 + g.nextInt(20_000);
    }

    /**
     * Returns simpler variants of an operation for the shrinker: an empty part, or no gap.
     *
     * @param op an operation
     * @return its simpler variants; empty if none
     */
    public static List<Op> simpler(Op op) {
        List<Op> out = new ArrayList<>();
        if (op instanceof Commit c) {
            if (c.size() > 0) {
                out.add(new Commit(c.kind(), c.gap(), 0, c.content()));
            }
            if (c.gap() > 0) {
                out.add(new Commit(c.kind(), 0, c.size(), c.content()));
            }
        } else if (op instanceof Abandon a && a.size() > 0) {
            out.add(new Abandon(a.delta(), 0, a.content()));
        }
        return out;
    }

    private long latest() {
        return chain.isEmpty() ? -1 : chain.get(chain.size() - 1).meta().lastIncludedIndex();
    }

    /**
     * Runs the operations, then closes everything.
     *
     * @throws OpsFailure with the operations that ran, if the store diverged from the model or failed
     * @throws IOException if closing fails
     */
    public void run() throws IOException {
        try {
            store = opener.open(dir, false).orElseThrow();
            incremental = store.capabilities().contains(Capability.INCREMENTAL_SNAPSHOTS);
        } catch (Exception | AssertionError t) {
            closeQuietly();
            throw new OpsFailure(OpsFailure.AT_OPEN, trace, t);
        }
        int i = 0;
        try {
            for (; i < ops.size(); i++) {
                String what = "operation " + (i + 1);
                apply(ops.get(i), i, what);
                if (i % 4 == 3) {
                    SnapshotChecks.assertChain(store, chain, what);
                } else {
                    assertEquals(chain.isEmpty() ? Optional.empty() : Optional.of(chain.get(chain.size() - 1).meta()),
                            store.latest(), what + ": latest()");
                }
            }
            trace.add(OpsFailure.END + "release every held reader, check the whole chain");
            while (!held.isEmpty()) {
                release(held.remove(0), "end");
            }
            SnapshotChecks.assertChain(store, chain, "end");
        } catch (Exception | AssertionError t) {
            if (trace.size() == i) {
                trace.add(ops.get(i).toString());
            }
            closeQuietly();
            throw new OpsFailure(i, trace, t);
        }
        store.close();
    }

    private void apply(Op op, int i, String what) throws IOException {
        if (op instanceof Commit c) {
            if (chain.isEmpty() || c.kind() == Kind.NEW_CHAIN) {
                commit(new SnapshotMeta(latest() + 1 + c.gap(), 1 + i, TestData.config()), SnapshotKind.FULL, c, false);
            } else if (c.kind() == Kind.DELTA && incremental) {
                commit(new SnapshotMeta(latest() + 1 + c.gap(), 1 + i, TestData.config()), SnapshotKind.DELTA, c,
                        false);
            } else {
                SnapshotMeta last = chain.get(chain.size() - 1).meta();
                commit(new SnapshotMeta(last.lastIncludedIndex(), last.lastIncludedTerm(), TestData.config()),
                        SnapshotKind.FULL, c, true);
            }
        } else if (op instanceof Abandon a) {
            SnapshotKind k = incremental && a.delta() && !chain.isEmpty() ? SnapshotKind.DELTA : SnapshotKind.FULL;
            SnapshotMeta meta = new SnapshotMeta(latest() + 1, 1, TestData.config());
            trace.add("create " + k + " at " + meta.lastIncludedIndex() + ", write " + a.size()
                    + " bytes, close without commit");
            try (SnapshotWriter w = store.create(meta, k)) {
                Streams.write(w.output(), a.content(), a.size());
            }
        } else if (op instanceof InvalidCreates b) {
            boolean below = latest() > 0;
            boolean deltaAtLatest = incremental && !chain.isEmpty();
            if (!below && !deltaAtLatest) {
                trace.add("(no invalid create to try: no snapshot above index 0)");
                return;
            }
            trace.add("create " + (below ? "below the latest index" : "") + (below && deltaAtLatest ? ", and " : "")
                    + (deltaAtLatest ? "a DELTA at the latest index" : "") + " (must throw IllegalArgumentException)");
            if (below) {
                long index = b.pick() % latest();
                SnapshotKind k = b.delta() ? SnapshotKind.DELTA : SnapshotKind.FULL;
                assertThrows(IllegalArgumentException.class, () -> store.create(new SnapshotMeta(index, 1,
                        TestData.config()), k), what + ": " + k + " at " + index + " below the latest index");
            }
            if (deltaAtLatest) {
                assertThrows(IllegalArgumentException.class, () -> store.create(new SnapshotMeta(latest(),
                        1, TestData.config()), SnapshotKind.DELTA), what + ": DELTA at the latest index");
            }
        } else if (op instanceof Reader r) {
            if (held.size() < 3) {
                trace.add("hold a reader of the latest chain (" + chain.size() + (chain.size() == 1 ? " part)" : " parts)"));
                Optional<SnapshotReader> reader = store.openLatest();
                if (chain.isEmpty()) {
                    assertTrue(reader.isEmpty(), what + ": openLatest() with no snapshot");
                } else {
                    held.add(new HeldReader(reader.orElseThrow(), chain));
                }
            } else {
                int pick = r.pick() % held.size();
                trace.add("release held reader " + (pick + 1) + " of 3 after checking it");
                release(held.remove(pick), what);
            }
        } else {
            trace.add("release held readers, close+reopen");
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
    }

    private void commit(SnapshotMeta meta, SnapshotKind kind, Commit c, boolean merge) throws IOException {
        trace.add((merge ? "merge: FULL" : kind.toString()) + " at " + meta.lastIncludedIndex() + " (term "
                + meta.lastIncludedTerm() + ", " + c.size() + " bytes)");
        try (SnapshotWriter w = store.create(meta, kind)) {
            Streams.Digest d = Streams.write(w.output(), c.content(), c.size());
            w.commit();
            List<Expected> next = new ArrayList<>(kind == SnapshotKind.FULL ? List.of() : chain);
            next.add(new Expected(meta, d));
            chain = List.copyOf(next);
        }
    }

    private void closeQuietly() {
        for (HeldReader h : held) {
            try {
                h.reader().close();
            } catch (Exception | AssertionError ignored) {
                // the run already failed
            }
        }
        held.clear();
        if (store != null) {
            try {
                store.close();
            } catch (Exception | AssertionError ignored) {
                // the run already failed
            }
        }
    }

    private static void release(HeldReader h, String what) throws IOException {
        SnapshotChecks.assertReader(h.reader(), h.chain(), what + ": a reader held across later commits");
        h.reader().close();
    }
}
