package io.flotilla.spi;

/** Whether a stored snapshot is a whole image or a change on top of the previous snapshot. */
public enum SnapshotKind {
    /** A whole image of the state machine; restoring it needs nothing else. */
    FULL,
    /** What changed since the previous snapshot in the chain; restored after its base and earlier deltas. */
    DELTA
}
