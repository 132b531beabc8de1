package io.flotilla.core.internal.loop;

import io.flotilla.LogEntry;
import java.util.List;

/**
 * Work for the {@link Applier}: newly committed entries, in index order, and reads whose read index was
 * confirmed in the same {@code Ready}.
 *
 * @param entries committed entries
 * @param reads confirmed reads
 */
record ApplyBatch(List<LogEntry> entries, List<PendingRead> reads) {
    static final ApplyBatch EMPTY = new ApplyBatch(List.of(), List.of());

    ApplyBatch {
        entries = List.copyOf(entries);
        reads = List.copyOf(reads);
    }

    boolean isEmpty() {
        return entries.isEmpty() && reads.isEmpty();
    }
}
