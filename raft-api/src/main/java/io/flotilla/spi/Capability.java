package io.flotilla.spi;

/**
 * Optional abilities a backend declares through its {@code capabilities()} method, so the SPI can grow without
 * bolt-on interfaces or casts. The core adapts to what a backend declares; a backend declares only what it
 * really does.
 */
public enum Capability {
    /** {@link LogStore}: read methods are safe to call from other threads while a write is in progress. */
    CONCURRENT_READS,
    /** {@link LogStore}, {@link StateStore}, {@link SnapshotStore}: data lives in memory only and is lost when
     * the process ends; for tests and simulations. */
    VOLATILE,
    /** {@link SnapshotStore}: accepts {@link SnapshotKind#DELTA} snapshots chained on a base. */
    INCREMENTAL_SNAPSHOTS,
    /** {@link Transport}: carries {@link io.flotilla.message.InstallSnapshotRequest} chunks on a channel separate
     * from other messages, so snapshots never delay heartbeats. */
    SEPARATE_SNAPSHOT_CHANNEL,
    /** {@link Transport}: encrypts and authenticates traffic with TLS. */
    TLS
}
