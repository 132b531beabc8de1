package io.flotilla.spi;

import io.flotilla.SnapshotMeta;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;

/**
 * Stores snapshots (§7) as streams, never as one in-memory array, so a snapshot may be far larger than the
 * heap.
 *
 * <p>A snapshot is a chain: one {@link SnapshotKind#FULL} base and, on stores that declare
 * {@link Capability#INCREMENTAL_SNAPSHOTS}, zero or more {@link SnapshotKind#DELTA}s written on top of it, each
 * covering the changes up to its own {@link SnapshotMeta#lastIncludedIndex()}. Committing a new FULL part
 * starts a new chain and lets the store delete the old one once no {@link SnapshotReader} uses it.
 *
 * <p><b>Threading:</b> thread-safe; one writer at a time, any number of readers. <b>Blocking:</b> may block on
 * I/O; the core calls it off the event loop. <b>Durability and failure:</b> see {@link SnapshotWriter}; corrupt
 * stored data is reported as {@link CorruptedStoreException} and never returned as valid.
 */
public interface SnapshotStore extends AutoCloseable {

    /**
     * Returns the metadata of the latest committed snapshot.
     *
     * @return the metadata, or empty if no snapshot was ever committed
     * @throws IOException if the store failed
     */
    Optional<SnapshotMeta> latest() throws IOException;

    /**
     * Starts writing a new snapshot part.
     *
     * <p>A {@link SnapshotKind#FULL} part whose index <em>equals</em> the latest snapshot's is a <b>merge</b>: when
     * committed it replaces the whole current chain (base and deltas) by itself, covering the same log position
     * (the core writes it by merging the chain in the background once the chain grows past a bound). A crash
     * before that commit leaves the old chain in force.
     *
     * @param meta what the part covers; its index must be above the latest snapshot's, or equal to it for a FULL
     *     merge
     * @param kind {@link SnapshotKind#FULL}, or {@link SnapshotKind#DELTA} on a store with
     *     {@link Capability#INCREMENTAL_SNAPSHOTS} that already has a snapshot
     * @return a writer; the caller closes it
     * @throws IllegalArgumentException if the index is below the latest, equal to it for a DELTA, or a DELTA is not
     *     supported or has no base
     * @throws IOException if the store failed
     */
    SnapshotWriter create(SnapshotMeta meta, SnapshotKind kind) throws IOException;

    /**
     * Opens the latest snapshot chain for reading.
     *
     * @return a reader, or empty if there is no snapshot; the caller closes it
     * @throws CorruptedStoreException if the stored chain is damaged
     * @throws IOException if the store failed
     */
    Optional<SnapshotReader> openLatest() throws IOException;

    /**
     * Returns the optional abilities of this store.
     *
     * @return the capabilities; empty by default
     */
    default Set<Capability> capabilities() {
        return Set.of();
    }

    /**
     * Releases resources. Idempotent.
     *
     * @throws IOException if releasing failed
     */
    @Override
    void close() throws IOException;
}
