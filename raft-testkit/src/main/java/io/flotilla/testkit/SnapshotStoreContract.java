package io.flotilla.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.SnapshotMeta;
import io.flotilla.spi.Capability;
import io.flotilla.spi.SnapshotKind;
import io.flotilla.spi.SnapshotPart;
import io.flotilla.spi.SnapshotReader;
import io.flotilla.spi.SnapshotStore;
import io.flotilla.spi.SnapshotWriter;
import io.flotilla.testkit.internal.Streams;
import io.flotilla.testkit.internal.Streams.Digest;
import io.flotilla.testkit.internal.TestData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
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
 * <p>Checks: a large snapshot (see {@link #largeSnapshotBytes()}) written in chunks and read back by streaming,
 * compared by CRC32C; metadata round trip; nothing is visible before {@code commit}; a writer closed without
 * commit leaves the previous snapshot intact (a crash during the write); indices must increase; base + delta
 * chains in order when the store declares {@link Capability#INCREMENTAL_SNAPSHOTS}, otherwise a DELTA is
 * rejected; a new FULL starts a single-part chain; the latest chain survives reopen; an open reader stays
 * valid while a newer snapshot is committed.
 *
 * <p><b>Threading:</b> single-threaded. <b>Blocking:</b> writes {@link #largeSnapshotBytes()} plus a few small
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
     * Opens the snapshot store kept in {@code dir}, creating it if the directory is empty. Called again with
     * the same directory after the previous store there was closed: it must return the latest committed chain.
     *
     * @param dir an existing directory owned by this test
     * @return the opened store
     * @throws IOException if opening fails
     */
    protected abstract SnapshotStore openSnapshots(Path dir) throws IOException;

    /**
     * Returns the size of the large-snapshot test's stream. Default 16 MiB.
     *
     * @return the size in bytes
     */
    protected long largeSnapshotBytes() {
        return 16L << 20;
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

    private SnapshotStore reopen(SnapshotStore s) throws IOException {
        s.close();
        return open(tempDir);
    }

    private static boolean incremental(SnapshotStore s) {
        return s.capabilities().contains(Capability.INCREMENTAL_SNAPSHOTS);
    }

    private static void assertChain(SnapshotStore store, List<SnapshotMeta> metas, List<Digest> digests)
            throws IOException {
        Optional<SnapshotReader> opened = store.openLatest();
        assertTrue(opened.isPresent(), "openLatest() is empty after a commit");
        try (SnapshotReader r = opened.get()) {
            List<SnapshotPart> parts = r.parts();
            assertEquals(metas.size(), parts.size(), "number of parts in the chain: " + parts);
            for (int i = 0; i < parts.size(); i++) {
                SnapshotPart p = parts.get(i);
                assertEquals(i == 0 ? SnapshotKind.FULL : SnapshotKind.DELTA, p.kind(), "kind of part " + i);
                assertEquals(metas.get(i), p.meta(), "meta of part " + i);
                assertEquals(digests.get(i).size(), p.sizeBytes(), "sizeBytes of part " + i);
                assertEquals(digests.get(i), Streams.read(p), "content (size, CRC32C) of part " + i);
            }
            assertEquals(metas.get(metas.size() - 1), r.meta(), "reader meta is the last part's");
        }
        assertEquals(Optional.of(metas.get(metas.size() - 1)), store.latest(), "latest()");
    }

    /**
     * A new store has no snapshot.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void newStore_hasNoSnapshot() throws IOException {
        SnapshotStore s = open(tempDir);
        assertEquals(Optional.empty(), s.latest());
        assertEquals(Optional.empty(), s.openLatest());
    }

    /**
     * A large snapshot written in chunks reads back, by streaming, with the same size and CRC32C.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void largeSnapshot_writtenInChunks_readsBackByStreaming() throws IOException {
        SnapshotStore s = open(tempDir);
        SnapshotMeta meta = TestData.meta(1000, 3);
        Digest written = Streams.commit(s, meta, SnapshotKind.FULL, 42, largeSnapshotBytes());
        assertChain(s, List.of(meta), List.of(written));
        try (SnapshotReader r = s.openLatest().orElseThrow()) {
            SnapshotPart p = r.parts().get(0);
            assertEquals(written, Streams.read(p), "a part can be opened more than once");
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
        assertEquals(Optional.empty(), s.latest(), "a writer closed without commit left a snapshot");
        assertEquals(Optional.empty(), s.openLatest());
        SnapshotMeta first = TestData.meta(10, 1);
        Digest d = Streams.commit(s, first, SnapshotKind.FULL, 2, 70_000);
        try (SnapshotWriter w = s.create(TestData.meta(20, 2), SnapshotKind.FULL)) {
            Streams.write(w.output(), 3, 200_000);
            assertEquals(Optional.of(first), s.latest(), "an uncommitted snapshot replaced the latest");
            assertChain(s, List.of(first), List.of(d));
        }
        assertChain(s, List.of(first), List.of(d));
        assertChain(reopen(s), List.of(first), List.of(d));
    }

    /**
     * A store reopened while a writer was still open keeps the previous snapshot and accepts a new one.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void crashDuringWrite_reopenWithoutClosingTheWriter_keepsThePrevious() throws IOException {
        SnapshotStore s = open(tempDir);
        SnapshotMeta first = TestData.meta(10, 1);
        Digest d = Streams.commit(s, first, SnapshotKind.FULL, 2, 50_000);
        SnapshotWriter abandoned = s.create(TestData.meta(20, 2), SnapshotKind.FULL);
        Streams.write(abandoned.output(), 3, 150_000);
        abandoned.output().flush();
        SnapshotStore reopened = reopen(s); // the process "died" with the writer open
        assertChain(reopened, List.of(first), List.of(d));
        SnapshotMeta next = TestData.meta(20, 2);
        Digest dn = Streams.commit(reopened, next, SnapshotKind.FULL, 4, 60_000);
        assertChain(reopened, List.of(next), List.of(dn));
        try {
            abandoned.close();
        } catch (IOException ignored) {
            // closing a writer of a closed store may fail; it must not publish anything
        }
        assertChain(reopened, List.of(next), List.of(dn));
    }

    /**
     * A snapshot whose index is not above the latest is rejected with IllegalArgumentException.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void create_indexNotAboveLatest_throwsIllegalArgument() throws IOException {
        SnapshotStore s = open(tempDir);
        SnapshotMeta first = TestData.meta(10, 1);
        Digest d = Streams.commit(s, first, SnapshotKind.FULL, 2, 1000);
        assertThrows(IllegalArgumentException.class, () -> s.create(TestData.meta(10, 1), SnapshotKind.FULL),
                "same index");
        assertThrows(IllegalArgumentException.class, () -> s.create(TestData.meta(9, 1), SnapshotKind.FULL),
                "lower index");
        assertChain(s, List.of(first), List.of(d));
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
        List<SnapshotMeta> metas = new ArrayList<>();
        List<Digest> digests = new ArrayList<>();
        metas.add(TestData.meta(10, 1));
        digests.add(Streams.commit(s, metas.get(0), SnapshotKind.FULL, 10, 300_000));
        for (int i = 1; i <= 3; i++) {
            metas.add(TestData.meta(10 + 10L * i, 1 + i));
            digests.add(Streams.commit(s, metas.get(i), SnapshotKind.DELTA, 10 + i, 1000L * i + 7));
            assertChain(s, metas, digests);
        }
        assertChain(reopen(s), metas, digests);
    }

    /**
     * A FULL snapshot after deltas leaves a single-part chain, also after reopen.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void fullAfterDeltas_leavesASinglePartChain() throws IOException {
        SnapshotStore s = open(tempDir);
        Streams.commit(s, TestData.meta(10, 1), SnapshotKind.FULL, 1, 5000);
        if (incremental(s)) {
            Streams.commit(s, TestData.meta(20, 1), SnapshotKind.DELTA, 2, 500);
            Streams.commit(s, TestData.meta(30, 1), SnapshotKind.DELTA, 3, 500);
        }
        SnapshotMeta merged = TestData.meta(40, 2);
        Digest d = Streams.commit(s, merged, SnapshotKind.FULL, 4, 9000);
        assertChain(s, List.of(merged), List.of(d));
        SnapshotStore reopened = reopen(s);
        assertChain(reopened, List.of(merged), List.of(d));
        if (incremental(reopened)) {
            SnapshotMeta delta = TestData.meta(50, 2);
            Digest dd = Streams.commit(reopened, delta, SnapshotKind.DELTA, 5, 10);
            assertChain(reopened, List.of(merged, delta), List.of(d, dd));
        }
    }

    /**
     * An open reader keeps reading its chain while newer snapshots are committed.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void reader_staysValid_whileANewerSnapshotIsCommitted() throws IOException {
        SnapshotStore s = open(tempDir);
        SnapshotMeta m1 = TestData.meta(10, 1);
        Digest d1 = Streams.commit(s, m1, SnapshotKind.FULL, 1, 1 << 20);
        try (SnapshotReader old = s.openLatest().orElseThrow()) {
            SnapshotMeta m2 = TestData.meta(20, 1);
            Digest d2 = Streams.commit(s, m2, SnapshotKind.FULL, 2, 300_000);
            SnapshotMeta m3 = TestData.meta(30, 2);
            Digest d3 = Streams.commit(s, m3, SnapshotKind.FULL, 3, 200_000);
            assertEquals(m1, old.meta(), "an open reader's meta changed");
            assertEquals(1, old.parts().size());
            assertEquals(d1, Streams.read(old.parts().get(0)), "an open reader's data changed or vanished");
            assertChain(s, List.of(m3), List.of(d3));
            assertTrue(d2.size() > 0);
        }
        assertEquals(Optional.of(TestData.meta(30, 2)), s.latest());
    }

    /**
     * The latest snapshot and the index rule survive reopen.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void reopen_keepsTheLatestSnapshot() throws IOException {
        SnapshotStore s = open(tempDir);
        Streams.commit(s, TestData.meta(10, 1), SnapshotKind.FULL, 1, 100);
        SnapshotMeta m = TestData.meta(25, 3);
        Digest d = Streams.commit(s, m, SnapshotKind.FULL, 2, 123_457);
        SnapshotStore reopened = reopen(s);
        assertChain(reopened, List.of(m), List.of(d));
        assertThrows(IllegalArgumentException.class, () -> reopened.create(TestData.meta(25, 3), SnapshotKind.FULL),
                "the index rule holds after reopen");
    }

    /**
     * An empty snapshot stream round-trips.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void emptySnapshot_roundTrips() throws IOException {
        SnapshotStore s = open(tempDir);
        SnapshotMeta m = TestData.meta(0, 0);
        Digest d = Streams.commit(s, m, SnapshotKind.FULL, 1, 0);
        assertChain(s, List.of(m), List.of(d));
    }
}
