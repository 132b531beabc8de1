package io.flotilla.core.internal.loop;

import io.flotilla.LogEntry;
import io.flotilla.SnapshotMeta;
import java.util.List;
import java.util.Optional;

/**
 * Work for the {@link Applier}: newly committed entries, in index order, and reads whose read index was
 * confirmed in the same {@code Ready}.
 *
 * @param restore a snapshot installed from the leader, restored before the entries
 * @param entries committed entries
 * @param reads confirmed reads
 */
record ApplyBatch(Optional<SnapshotMeta> restore, List<LogEntry> entries, List<PendingRead> reads) {
    static final ApplyBatch EMPTY = new ApplyBatch(Optional.empty(), List.of(), List.of());

    ApplyBatch {
        entries = List.copyOf(entries);
        reads = List.copyOf(reads);
    }

    ApplyBatch(List<LogEntry> entries, List<PendingRead> reads) {
        this(Optional.empty(), entries, reads);
    }

    boolean isEmpty() {
        return restore.isEmpty() && entries.isEmpty() && reads.isEmpty();
    }
}
