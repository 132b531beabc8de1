package io.flotilla.core.internal.loop;

import io.flotilla.HardState;
import io.flotilla.LogEntry;
import io.flotilla.core.internal.protocol.LogCompaction;
import io.flotilla.message.RaftMessage;
import java.util.List;
import java.util.Optional;

/**
 * The storage half of one {@code Ready}: what to make durable, what to send once it is, and what to apply after.
 *
 * @param hardState new term/vote, if changed
 * @param compaction a change to the start of the log (§7): a discard runs before the entries, a compaction after
 * @param entries entries replacing the log from the first one's index
 * @param messagesAfterPersist votes and acknowledgements that must wait for durability (§5.1)
 * @param apply committed entries and confirmed reads, applied only after this batch is durable (or at once when
 *     they are durable already: {@link Persister#submit})
 */
record PersistBatch(Optional<HardState> hardState, Optional<LogCompaction> compaction, List<LogEntry> entries,
        List<RaftMessage> messagesAfterPersist, ApplyBatch apply) {
    PersistBatch(Optional<HardState> hardState, List<LogEntry> entries, List<RaftMessage> messagesAfterPersist,
            ApplyBatch apply) {
        this(hardState, Optional.empty(), entries, messagesAfterPersist, apply);
    }

    PersistBatch {
        entries = List.copyOf(entries);
        messagesAfterPersist = List.copyOf(messagesAfterPersist);
    }

    /** @return this batch with its apply work removed (handed to the applier already) */
    PersistBatch withoutApply() {
        return new PersistBatch(hardState, compaction, entries, messagesAfterPersist, ApplyBatch.EMPTY);
    }

    /** @return true if there is nothing to write, send or apply */
    boolean isEmpty() {
        return hardState.isEmpty() && compaction.isEmpty() && entries.isEmpty() && messagesAfterPersist.isEmpty()
                && apply.isEmpty();
    }
}
