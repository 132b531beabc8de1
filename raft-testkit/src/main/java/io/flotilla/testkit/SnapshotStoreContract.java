package io.flotilla.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.flotilla.SnapshotMeta;
import io.flotilla.spi.Capability;
import io.flotilla.spi.CorruptedStoreException;
import io.flotilla.spi.SnapshotKind;
import io.flotilla.spi.SnapshotPart;
import io.flotilla.spi.SnapshotReader;
import io.flotilla.spi.SnapshotStore;
import io.flotilla.spi.SnapshotWriter;
import io.flotilla.testkit.internal.Content;
import io.flotilla.testkit.internal.RandomRuns;
import io.flotilla.testkit.internal.SnapshotChecks;
import io.flotilla.testkit.internal.SnapshotChecks.Expected;
import io.flotilla.testkit.internal.SnapshotModelRun;
import io.flotilla.testkit.internal.Streams;
import io.flotilla.testkit.internal.TestData;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every {@link SnapshotStore} must pass. Extend it and implement {@link #openSnapshots(Path)}:
 *
 * <pre>{@code
 * class FileSnapshotStoreTest extends SnapshotStoreContract {
 *     @Override
 *     protected SnapshotStore openSnapshots(Path dir) throws IOException {
 *         return FileSnapshotStore.open(dir);
 *     }
 * }
 * }</pre>
 *
 * <h2>What it checks</h2>
 * <ul>
 *   <li>Streaming: a large part ({@link #largeSnapshotBytes()}, 64 MiB by default) written in small and odd-sized
 *       pieces through every {@code OutputStream} method reads back byte for byte through every {@code InputStream}
 *       read method, twice at once; the suite never holds the data (each byte is a function of its position).</li>
 *   <li>Visibility: nothing is visible before {@code commit}; {@code close} without commit, a commit that fails and
 *       a restart with the writer still open all leave the previous chain intact.</li>
 *   <li>Chains: base + deltas in order with their metadata (or DELTA rejected without
 *       {@link Capability#INCREMENTAL_SNAPSHOTS}); a FULL above the latest index starts a new chain.</li>
 *   <li>The merge rule: a FULL at the latest index replaces the whole chain in one step; readers of the old chain
 *       keep reading it until closed; a DELTA at the latest index and any index below it are rejected.</li>
 *   <li>Restart: the latest chain and the index rules survive reopening the directory.</li>
 *   <li>Integrity: damaged stored data is reported as {@link CorruptedStoreException}, never returned.</li>
 *   <li>A seeded random sequence of all of the above matches a model.</li>
 * </ul>
 *
 * <h2>Hooks</h2>
 * {@link #reopenSnapshots(Path)} (restart; override for a store that cannot be reopened),
 * {@link #failCommits(SnapshotStore, Path)} (fault injection) and {@link #corruptPart(SnapshotStore, Path, int)}
 * (damage at rest). Tests needing a hook the store does not offer are skipped (JUnit assumptions), not passed.
 *
 * <p><b>Threading:</b> single-threaded. <b>Blocking:</b> writes {@link #largeSnapshotBytes()} once plus small
 * parts. <b>Failure:</b> an {@link AssertionError} naming the rule.
 */
public abstract class SnapshotStoreContract {
    /** A fresh directory per test, handed to {@link #openSnapshots(Path)}. */
    @TempDir
    protected Path tempDir;

    private final List<SnapshotStore> opened = new ArrayList<>();

    /** Creates the suite. */
    protected SnapshotStoreContract() {}

    /**
     * Opens the snapshot store kept in {@code dir}, creating it if the directory is empty.
     *
     * @param dir an existing directory owned by this test
     * @return the opened store
     * @throws IOException if opening fails
     */
    protected abstract SnapshotStore openSnapshots(Path dir) throws IOException;

    /**
     * Opens {@code dir} again after the store there was closed (a restart); it must show the latest committed
     * chain. By default calls {@link #openSnapshots(Path)}. A store whose data does not outlive it returns empty,
     * and the checks that need a restart are skipped.
     *
     * @param dir the directory of a closed store
     * @return the reopened store, or empty if the store cannot be reopened
     * @throws IOException if opening fails
     */
    protected Optional<SnapshotStore> reopenSnapshots(Path dir) throws IOException {
        return Optional.of(openSnapshots(dir));
    }

    /**
     * Makes every later commit of {@code store} fail with an {@link IOException} (as a failed {@code fsync} or a
     * full disk would) until the returned handle is closed. The store may go into a failed state (every call
     * throwing) until reopened. Default: unsupported.
     *
     * @param store the open store
     * @param dir its directory
     * @return a handle that lifts the fault when closed, or empty if the store cannot inject it
     * @throws IOException if arming the fault fails
     */
    protected Optional<Closeable> failCommits(SnapshotStore store, Path dir) throws IOException {
        return Optional.empty();
    }

    /**
     * Damages, at rest, a byte of the stored data of one part of the latest chain, as a bad disk sector would.
     * Default: unsupported.
     *
     * @param store the open store
     * @param dir its directory
     * @param part the position of the part in the latest chain, 0 being the base
     * @return whether the damage was done; {@code false} if the store cannot inject it
     * @throws IOException if damaging fails
     */
    protected boolean corruptPart(SnapshotStore store, Path dir, int part) throws IOException {
        return false;
    }

    /**
     * Returns the size of the large-part test's stream. Default 64 MiB.
     *
     * @return the size in bytes
     */
    protected long largeSnapshotBytes() {
        return 64L << 20;
    }

    /**
     * Closes every store the suite opened.
     *
     * @throws IOException if closing fails
     */
    @AfterEach
    public void closeOpenedStores() throws IOException {
        for (SnapshotStore s : opened) {
            s.close();
        }
        opened.clear();
    }

    private SnapshotStore open(Path dir) throws IOException {
        SnapshotStore s = openSnapshots(dir);
        opened.add(s);
        return s;
    }

    /** Closes {@code s} and reopens its directory; skips the test if the store cannot be reopened. */
    private SnapshotStore reopen(SnapshotStore s, Path dir) throws IOException {
        s.close();
        Optional<SnapshotStore> r = reopenSnapshots(dir);
        Assumptions.assumeTrue(r.isPresent(), "the store cannot be reopened");
        opened.add(r.get());
        return r.get();
    }

    private SnapshotStore reopen(SnapshotStore s) throws IOException {
        return reopen(s, tempDir);
    }

    private static boolean incremental(SnapshotStore s) {
        return s.capabilities().contains(Capability.INCREMENTAL_SNAPSHOTS);
    }

    private static Expected commit(SnapshotStore s, SnapshotMeta meta, SnapshotKind kind, long seed, long size)
            throws IOException {
        return SnapshotChecks.commit(s, meta, kind, seed, size);
    }

    private static List<Expected> baseAndDeltas(SnapshotStore s, long size) throws IOException {
        return SnapshotChecks.baseAndDeltas(s, size);
    }

    private static void assertChain(SnapshotStore s, List<Expected> chain, String what) throws IOException {
        SnapshotChecks.assertChain(s, chain, what);
    }

    private static SnapshotMeta latestMeta(List<Expected> chain) {
        return chain.get(chain.size() - 1).meta();
    }

    /**
     * A new store has no snapshot.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void newStore_hasNoSnapshot() throws IOException {
        assertChain(open(tempDir), List.of(), "a new store");
    }

    /**
     * A large part written in small and odd pieces streams back byte for byte, through two streams at once.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void largePart_writtenInOddPieces_streamsBackByteForByte() throws IOException {
        SnapshotStore s = open(tempDir);
        SnapshotMeta meta = TestData.meta(1000, 3);
        long size = largeSnapshotBytes();
        try (SnapshotWriter w = s.create(meta, SnapshotKind.FULL)) {
            assertEquals(meta, w.meta(), "writer meta");
            new Content(42).writeInOddPieces(w.output(), size);
            w.output().flush();
            assertEquals(Optional.empty(), s.latest(), "visible before commit");
            w.commit();
        }
        assertEquals(Optional.of(meta), s.latest());
        try (SnapshotReader r = s.openLatest().orElseThrow()) {
            assertEquals(1, r.parts().size());
            SnapshotPart p = r.parts().get(0);
            assertEquals(size, p.sizeBytes(), "sizeBytes");
            assertEquals(meta, p.meta());
            new Content(42).verifyStream(p.open(), size, "large part");
            Content.verifyInterleaved(42, p.open(), p.open(), size, "large part, two streams at once");
        }
    }

    /**
     * Nothing is visible before commit; a writer closed without commit keeps the previous snapshot.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void uncommittedWrite_isInvisible_andClosingWithoutCommitKeepsThePrevious() throws IOException {
        SnapshotStore s = open(tempDir);
        try (SnapshotWriter w = s.create(TestData.meta(5, 1), SnapshotKind.FULL)) {
            Streams.write(w.output(), 1, 10_000);
            assertEquals(Optional.empty(), s.latest(), "an uncommitted snapshot is visible");
        }
        assertChain(s, List.of(), "a writer closed without commit left a snapshot");
        List<Expected> first = List.of(commit(s, TestData.meta(10, 1), SnapshotKind.FULL, 2, 70_000));
        try (SnapshotWriter w = s.create(TestData.meta(20, 2), SnapshotKind.FULL)) {
            Streams.write(w.output(), 3, 200_000);
            assertChain(s, first, "an uncommitted snapshot replaced the latest");
        }
        assertChain(s, first, "after close without commit");
        assertChain(reopen(s), first, "after close without commit and reopen");
    }

    /**
     * A store reopened while a writer was still open keeps the previous snapshot and accepts a new one.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void crashDuringWrite_reopenWithoutClosingTheWriter_keepsThePrevious() throws IOException {
        SnapshotStore s = open(tempDir);
        List<Expected> first = List.of(commit(s, TestData.meta(10, 1), SnapshotKind.FULL, 2, 50_000));
        SnapshotWriter abandoned = s.create(TestData.meta(20, 2), SnapshotKind.FULL);
        Streams.write(abandoned.output(), 3, 150_000);
        abandoned.output().flush();
        SnapshotStore reopened = reopen(s); // the process "died" with the writer open
        assertChain(reopened, first, "after a restart during a write");
        List<Expected> next = List.of(commit(reopened, TestData.meta(20, 2), SnapshotKind.FULL, 4, 60_000));
        assertChain(reopened, next, "a new snapshot after the restart");
        try {
            abandoned.close();
        } catch (IOException ignored) {
            // closing a writer of a closed store may fail; it must not publish or delete anything
        }
        assertChain(reopened, next, "after the abandoned writer was closed");
    }

    /**
     * An index below the latest, and a DELTA at the latest index, are rejected with IllegalArgumentException.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void create_indexBelowLatest_orDeltaAtLatest_throwsIllegalArgument() throws IOException {
        SnapshotStore s = open(tempDir);
        List<Expected> chain = baseAndDeltas(s, 1000);
        long latest = latestMeta(chain).lastIncludedIndex();
        assertThrows(IllegalArgumentException.class, () -> s.create(TestData.meta(latest - 1, 2), SnapshotKind.FULL),
                "FULL below the latest index");
        assertThrows(IllegalArgumentException.class, () -> s.create(TestData.meta(latest - 1, 2), SnapshotKind.DELTA),
                "DELTA below the latest index");
        assertThrows(IllegalArgumentException.class, () -> s.create(TestData.meta(latest, 2), SnapshotKind.DELTA),
                "DELTA at the latest index");
        assertThrows(IllegalArgumentException.class, () -> s.create(TestData.meta(5, 1), SnapshotKind.FULL),
                "FULL below the chain's base");
        assertChain(s, chain, "after rejected creates");
    }

    /**
     * Deltas chain on their base in order (or are rejected without INCREMENTAL_SNAPSHOTS), also after reopen.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void deltas_chainOnTheBase_inOrder_andANewFullStartsANewChain() throws IOException {
        SnapshotStore s = open(tempDir);
        if (!incremental(s)) {
            assertThrows(IllegalArgumentException.class, () -> s.create(TestData.meta(5, 1), SnapshotKind.DELTA),
                    "DELTA on a store without INCREMENTAL_SNAPSHOTS");
            Streams.commit(s, TestData.meta(10, 1), SnapshotKind.FULL, 1, 100);
            assertThrows(IllegalArgumentException.class, () -> s.create(TestData.meta(20, 1), SnapshotKind.DELTA),
                    "DELTA on a store without INCREMENTAL_SNAPSHOTS");
            return;
        }
        assertThrows(IllegalArgumentException.class, () -> s.create(TestData.meta(5, 1), SnapshotKind.DELTA),
                "a DELTA without a base");
        List<Expected> chain = new ArrayList<>();
        chain.add(commit(s, TestData.meta(10, 1), SnapshotKind.FULL, 10, 300_000));
        for (int i = 1; i <= 3; i++) {
            chain.add(commit(s, TestData.meta(10 + 10L * i, 1 + i), SnapshotKind.DELTA, 10 + i, 1000L * i + 7));
            assertChain(s, chain, "after delta " + i);
        }
        assertChain(reopen(s), chain, "after reopen");
    }

    /**
     * A FULL snapshot above the latest index after deltas leaves a single-part chain, also after reopen.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void fullAfterDeltas_leavesASinglePartChain() throws IOException {
        SnapshotStore s = open(tempDir);
        baseAndDeltas(s, 5000);
        List<Expected> fresh = List.of(commit(s, TestData.meta(40, 2), SnapshotKind.FULL, 4, 9000));
        assertChain(s, fresh, "a new FULL chain");
        SnapshotStore reopened = reopen(s);
        assertChain(reopened, fresh, "a new FULL chain after reopen");
        if (incremental(reopened)) {
            List<Expected> chain = List.of(fresh.get(0), commit(reopened, TestData.meta(50, 2), SnapshotKind.DELTA,
                    5, 10));
            assertChain(reopened, chain, "a DELTA on the new chain");
        }
    }

    /**
     * A FULL part at the latest index (a merge) replaces the whole chain when committed, also after reopen; the
     * merged part then takes deltas and can itself be merged.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void merge_fullAtTheLatestIndex_replacesTheWholeChain() throws IOException {
        SnapshotStore s = open(tempDir);
        List<Expected> old = baseAndDeltas(s, 20_000);
        SnapshotMeta at = latestMeta(old);
        try (SnapshotWriter w = s.create(at, SnapshotKind.FULL)) {
            Streams.write(w.output(), 77, 30_000);
            assertChain(s, old, "an uncommitted merge replaced the chain");
        }
        assertChain(s, old, "a merge closed without commit");
        List<Expected> merged = List.of(commit(s, at, SnapshotKind.FULL, 78, 31_000));
        assertChain(s, merged, "after the merge");
        SnapshotStore reopened = reopen(s);
        assertChain(reopened, merged, "after the merge and reopen");
        assertThrows(IllegalArgumentException.class, () -> reopened.create(at, SnapshotKind.DELTA),
                "DELTA at the merged index");
        if (incremental(reopened)) {
            List<Expected> chain = List.of(merged.get(0),
                    commit(reopened, TestData.meta(40, 3), SnapshotKind.DELTA, 79, 500));
            assertChain(reopened, chain, "a DELTA on the merged base");
            List<Expected> again = List.of(commit(reopened, TestData.meta(40, 3), SnapshotKind.FULL, 80, 1200));
            assertChain(reopened, again, "a second merge");
        } else {
            List<Expected> again = List.of(commit(reopened, at, SnapshotKind.FULL, 80, 1200));
            assertChain(reopened, again, "a second merge");
        }
    }

    /**
     * Readers opened before a merge, and a stream opened before it, keep reading the old chain until closed.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void merge_readersOfTheOldChain_keepReadingItUntilClosed() throws IOException {
        SnapshotStore s = open(tempDir);
        List<Expected> old = baseAndDeltas(s, 200_000);
        SnapshotReader before = s.openLatest().orElseThrow();
        InputStream halfRead = before.parts().get(0).open();
        byte[] head = halfRead.readNBytes(70_000);
        assertEquals(70_000, head.length);
        List<Expected> merged = List.of(commit(s, latestMeta(old), SnapshotKind.FULL, 9, 150_000));
        try (before) {
            assertChain(s, merged, "new readers see the merged chain");
            SnapshotChecks.assertReader(before, old, "a reader opened before the merge");
            byte[] rest = halfRead.readAllBytes();
            halfRead.close();
            assertEquals(old.get(0).digest().size(), head.length + rest.length, "a stream opened before the merge");
            try (SnapshotReader after = s.openLatest().orElseThrow()) {
                List<Expected> next = List.of(commit(s, TestData.meta(50, 4), SnapshotKind.FULL, 10, 1000));
                SnapshotChecks.assertReader(after, merged, "a reader of the merged chain after a new chain");
                SnapshotChecks.assertReader(before, old, "the oldest reader after two replacements");
                assertChain(s, next, "latest after a new chain");
            }
        }
        assertEquals(Optional.of(TestData.meta(50, 4)), s.latest());
    }

    /**
     * A failed commit (injected through {@link #failCommits}) of a new chain, a DELTA or a merge leaves the
     * previous chain in force, before and after reopen.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void commitFailure_ofAFullADeltaOrAMerge_keepsThePreviousChain() throws IOException {
        SnapshotStore s = open(tempDir);
        List<Expected> chain = baseAndDeltas(s, 40_000);
        List<SnapshotKind> kinds = incremental(s) ? List.of(SnapshotKind.FULL, SnapshotKind.DELTA, SnapshotKind.FULL)
                : List.of(SnapshotKind.FULL, SnapshotKind.FULL);
        for (int i = 0; i < kinds.size(); i++) {
            boolean merge = i == kinds.size() - 1;
            SnapshotMeta meta = merge ? latestMeta(chain) : TestData.meta(100 + i, 5);
            String what = (merge ? "merge" : kinds.get(i).toString()) + " whose commit failed";
            Optional<Closeable> fault = failCommits(s, tempDir);
            Assumptions.assumeTrue(fault.isPresent(), "the store cannot inject commit failures");
            try (Closeable lift = fault.get(); SnapshotWriter w = s.create(meta, kinds.get(i))) {
                Streams.write(w.output(), 50 + i, 100_000);
                assertThrows(IOException.class, w::commit, what + ": commit did not fail");
                try {
                    assertEquals(Optional.of(latestMeta(chain)), s.latest(), what + ": latest()");
                } catch (IOException storeFailed) {
                    // the store may stay failed until reopened
                }
            }
            s = reopen(s);
            assertChain(s, chain, what + ", after reopen");
        }
        List<Expected> next = List.of(commit(s, TestData.meta(200, 6), SnapshotKind.FULL, 60, 1000));
        assertChain(s, next, "a commit after the failures");
    }

    /**
     * Committing a writer after its store was closed fails and publishes nothing.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void commit_afterTheStoreWasClosed_failsAndPublishesNothing() throws IOException {
        SnapshotStore s = open(tempDir);
        List<Expected> chain = baseAndDeltas(s, 3000);
        SnapshotWriter w = s.create(latestMeta(chain), SnapshotKind.FULL);
        Streams.write(w.output(), 5, 5000);
        s.close();
        try (w) {
            assertThrows(IOException.class, w::commit, "commit on a closed store");
        } catch (IOException closing) {
            // closing the writer of a closed store may fail too
        }
        assertChain(reopen(s), chain, "after the failed commit");
    }

    /**
     * A writer whose chain was replaced after it was created (two writers at once, which the SPI does not ask
     * for) fails its commit and does not undo the newer chain. A store may instead refuse the second writer with
     * IllegalStateException.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void staleWriter_whoseChainWasReplaced_failsItsCommit() throws IOException {
        SnapshotStore s = open(tempDir);
        List<Expected> chain = baseAndDeltas(s, 3000);
        SnapshotWriter merge = s.create(latestMeta(chain), SnapshotKind.FULL);
        Streams.write(merge.output(), 6, 4000);
        SnapshotMeta newer = TestData.meta(latestMeta(chain).lastIncludedIndex() + 10, 3);
        List<Expected> next;
        try {
            next = List.of(commit(s, newer, SnapshotKind.FULL, 7, 2000));
        } catch (IllegalStateException oneWriterAtATime) {
            merge.commit();
            merge.close();
            return;
        }
        try (merge) {
            assertThrows(IOException.class, merge::commit, "a merge of a chain that was replaced meanwhile");
        }
        assertChain(s, next, "after the stale merge");
        assertChain(reopen(s), next, "after the stale merge and reopen");
    }

    /**
     * An open reader keeps reading its chain while newer snapshots are committed.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void reader_staysValid_whileANewerSnapshotIsCommitted() throws IOException {
        SnapshotStore s = open(tempDir);
        List<Expected> first = List.of(commit(s, TestData.meta(10, 1), SnapshotKind.FULL, 1, 1 << 20));
        try (SnapshotReader old = s.openLatest().orElseThrow()) {
            commit(s, TestData.meta(20, 1), SnapshotKind.FULL, 2, 300_000);
            List<Expected> third = List.of(commit(s, TestData.meta(30, 2), SnapshotKind.FULL, 3, 200_000));
            SnapshotChecks.assertReader(old, first, "an open reader after two newer chains");
            assertChain(s, third, "latest");
        }
        assertEquals(Optional.of(TestData.meta(30, 2)), s.latest());
    }

    /**
     * The latest snapshot and the index rules survive reopen.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void reopen_keepsTheLatestSnapshot_andTheIndexRules() throws IOException {
        SnapshotStore s = open(tempDir);
        commit(s, TestData.meta(10, 1), SnapshotKind.FULL, 1, 100);
        List<Expected> chain = List.of(commit(s, TestData.meta(25, 3), SnapshotKind.FULL, 2, 123_457));
        SnapshotStore reopened = reopen(s);
        assertChain(reopened, chain, "after reopen");
        assertThrows(IllegalArgumentException.class, () -> reopened.create(TestData.meta(24, 3), SnapshotKind.FULL),
                "an index below the latest, after reopen");
        assertThrows(IllegalArgumentException.class, () -> reopened.create(TestData.meta(25, 3), SnapshotKind.DELTA),
                "a DELTA at the latest index, after reopen");
    }

    /**
     * An empty snapshot stream round-trips.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void emptySnapshot_roundTrips() throws IOException {
        SnapshotStore s = open(tempDir);
        assertChain(s, List.of(commit(s, TestData.meta(0, 0), SnapshotKind.FULL, 1, 0)), "an empty part");
    }

    /**
     * Damage to the stored data of any part of the chain (injected through {@link #corruptPart}) is reported as
     * {@link CorruptedStoreException}, when reading and after reopen, and never returned as valid data.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void corruptPart_isReportedAsCorruptedStoreException_neverReturnedAsValid() throws IOException {
        int parts = 1;
        for (int k = 0; k < parts; k++) {
            Path dir = Files.createDirectories(tempDir.resolve("part-" + k));
            SnapshotStore s = open(dir);
            List<Expected> chain = baseAndDeltas(s, 200_000);
            parts = chain.size();
            Assumptions.assumeTrue(corruptPart(s, dir, k), "the store cannot inject damage");
            String what = "damaged part " + k + " of " + parts;
            SnapshotChecks.expectCorruption(s, chain, what);
            s.close();
            SnapshotStore reopened;
            try {
                Optional<SnapshotStore> r = reopenSnapshots(dir);
                if (r.isEmpty()) {
                    continue;
                }
                reopened = r.get();
            } catch (CorruptedStoreException refusedToOpen) {
                continue; // reported at open: fine
            }
            opened.add(reopened);
            SnapshotChecks.expectCorruption(reopened, chain, what + ", after reopen");
        }
        assertTrue(parts >= 1);
    }

    /**
     * A seeded random sequence of new chains, deltas, merges, abandoned writers, rejected creates, held readers
     * and reopens matches a model. A failure is shrunk to a short operation list and reports it with the seed;
     * replay with {@code -Dflotilla.testkit.seed=N} (the default runs the fixed seeds 1000, 1001, ...).
     *
     * @throws Exception if the backend fails unexpectedly
     */
    @Test
    public void randomOperations_matchModel() throws Exception {
        int runs = RandomRuns.repeat(getClass().getSimpleName() + ".randomOperations_matchModel", 20,
                Duration.ofSeconds(2), (run, seed) -> RandomRuns.runAndShrink(SnapshotModelRun.generate(seed, 50),
                        (ops, attempt) -> new SnapshotModelRun((d, reopen) -> {
                            Optional<SnapshotStore> s = reopen ? reopenSnapshots(d) : Optional.of(openSnapshots(d));
                            s.ifPresent(opened::add);
                            return s;
                        }, Files.createDirectories(tempDir.resolve("random-" + run + "-" + attempt)), ops).run(),
                        SnapshotModelRun::simpler));
        if (runs < 1) {
            fail("no run");
        }
    }
}
