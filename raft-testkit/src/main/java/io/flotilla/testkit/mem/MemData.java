package io.flotilla.testkit.mem;

import io.flotilla.HardState;
import io.flotilla.NodeId;
import java.io.IOException;
import java.util.List;

/**
 * The "disk" behind every {@link MemStorage} view of one node: survives {@link MemStorage#reopen()}. All fields
 * are guarded by {@code this}.
 */
final class MemData {
    final NodeId self;
    final MemLog log = new MemLog();
    HardState hardState = HardState.INITIAL;
    // Invariant: empty, or one FULL part followed by DELTA parts with strictly increasing indices.
    List<MemSnapshotPart> chain = List.of();
    boolean full;
    IOException pendingFailure;

    MemData(NodeId self) {
        this.self = self;
    }

    /** Returns and clears the injected failure, if any. Caller holds the lock. */
    IOException takePendingFailure() {
        IOException e = pendingFailure;
        pendingFailure = null;
        return e;
    }
}
