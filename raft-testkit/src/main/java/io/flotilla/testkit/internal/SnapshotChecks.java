package io.flotilla.testkit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.flotilla.SnapshotMeta;
import io.flotilla.spi.Capability;
import io.flotilla.spi.CorruptedStoreException;
import io.flotilla.spi.SnapshotKind;
import io.flotilla.spi.SnapshotPart;
import io.flotilla.spi.SnapshotReader;
import io.flotilla.spi.SnapshotStore;
import io.flotilla.testkit.internal.Streams.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Assertions on snapshot chains shared by the snapshot contract and its randomized run. Stateless. */
public final class SnapshotChecks {
    private SnapshotChecks() {}

    /** What one committed part must read back as. */
    public record Expected(SnapshotMeta meta, Digest digest) {}

    /**
     * Writes and commits one part of pseudo-random content.
     *
     * @param s the store
     * @param meta the metadata
     * @param kind the kind
     * @param seed the content seed
     * @param size the size
     * @return what it must read back as
     * @throws IOException if the store fails
     */
    public static Expected commit(SnapshotStore s, SnapshotMeta meta, SnapshotKind kind, long seed, long size)
            throws IOException {
        return new Expected(meta, Streams.commit(s, meta, kind, seed, size));
    }

    /**
     * Builds a chain: a FULL part at 10 and, on a store with INCREMENTAL_SNAPSHOTS, DELTAs at 20 and 30.
     *
     * @param s an empty store
     * @param size the base's size; the deltas are smaller
     * @return the committed chain
     * @throws IOException if the store fails
     */
    public static List<Expected> baseAndDeltas(SnapshotStore s, long size) throws IOException {
        List<Expected> chain = new ArrayList<>();
        chain.add(commit(s, TestData.meta(10, 1), SnapshotKind.FULL, 1, size));
        if (s.capabilities().contains(Capability.INCREMENTAL_SNAPSHOTS)) {
            chain.add(commit(s, TestData.meta(20, 2), SnapshotKind.DELTA, 2, size / 3 + 1));
            chain.add(commit(s, TestData.meta(30, 2), SnapshotKind.DELTA, 3, size / 5 + 7));
        }
        return chain;
    }

    /**
     * Asserts that the store's latest chain is exactly {@code chain}: kinds (FULL first, then DELTAs), metadata,
     * sizes and content, read through a new reader, and that {@code latest()} agrees.
     *
     * @param store the store
     * @param chain the expected parts, base first; empty for "no snapshot"
     * @param what names the situation in messages
     * @throws IOException if the store fails
     */
    public static void assertChain(SnapshotStore store, List<Expected> chain, String what) throws IOException {
        if (chain.isEmpty()) {
            assertEquals(Optional.empty(), store.latest(), what + ": latest()");
            Optional<SnapshotReader> r = store.openLatest();
            assertFalse(r.isPresent(), what + ": openLatest() without a snapshot");
            return;
        }
        Optional<SnapshotReader> opened = store.openLatest();
        assertTrue(opened.isPresent(), what + ": openLatest() is empty after a commit");
        try (SnapshotReader r = opened.get()) {
            assertReader(r, chain, what);
        }
        assertEquals(Optional.of(chain.get(chain.size() - 1).meta()), store.latest(), what + ": latest()");
    }

    /**
     * Asserts that an open reader shows exactly {@code chain}.
     *
     * @param r the reader (left open)
     * @param chain the expected parts, base first
     * @param what names the situation in messages
     * @throws IOException if reading fails
     */
    public static void assertReader(SnapshotReader r, List<Expected> chain, String what) throws IOException {
        List<SnapshotPart> parts = r.parts();
        assertEquals(chain.size(), parts.size(), what + ": number of parts in the chain " + parts);
        for (int i = 0; i < parts.size(); i++) {
            SnapshotPart p = parts.get(i);
            Expected e = chain.get(i);
            assertEquals(i == 0 ? SnapshotKind.FULL : SnapshotKind.DELTA, p.kind(), what + ": kind of part " + i);
            assertEquals(e.meta(), p.meta(), what + ": meta of part " + i);
            assertEquals(e.digest().size(), p.sizeBytes(), what + ": sizeBytes of part " + i);
            assertEquals(e.digest(), Streams.read(p), what + ": content (size, CRC32C) of part " + i);
        }
        assertEquals(chain.get(chain.size() - 1).meta(), r.meta(), what + ": reader meta is the last part's");
    }

    /**
     * Opens the latest chain and reads every part to its end, expecting the damage to be reported as a
     * {@link CorruptedStoreException} by {@code openLatest} or by a read, never returned as valid data.
     *
     * @param store the store
     * @param chain what was committed (to tell "undetected" from "different data returned")
     * @param what names the situation in messages
     * @return the exception
     * @throws IOException if the store fails in another way
     */
    public static CorruptedStoreException expectCorruption(SnapshotStore store, List<Expected> chain, String what)
            throws IOException {
        try {
            Optional<SnapshotReader> r = store.openLatest();
            assertTrue(r.isPresent(), what + ": the damaged chain vanished instead of being reported");
            try (SnapshotReader reader = r.get()) {
                for (int i = 0; i < reader.parts().size(); i++) {
                    Digest d = Streams.read(reader.parts().get(i));
                    if (i < chain.size() && !d.equals(chain.get(i).digest())) {
                        fail(what + ": part " + i + " returned damaged data as valid (" + d + " instead of "
                                + chain.get(i).digest() + ")");
                    }
                }
            }
        } catch (CorruptedStoreException e) {
            assertFalse(e.location().isBlank(), what + ": CorruptedStoreException names no location");
            return e;
        }
        throw new AssertionError(what + ": the damage was not detected: every part read back intact");
    }
}
