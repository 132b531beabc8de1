package io.flotilla.core.internal.protocol;

import io.flotilla.HardState;
import io.flotilla.LogEntry;
import io.flotilla.NodeId;
import io.flotilla.SnapshotMeta;
import io.flotilla.message.InstallSnapshotRequest;
import io.flotilla.message.RaftMessage;
import java.util.List;
import java.util.Optional;

/**
 * A batch of work the protocol core hands to its driver (etcd raft's {@code Ready}). The driver must carry it
 * out in this order, then call {@link RaftProtocol#advance(Ready)}:
 * <ol>
 *   <li>Send {@link #messagesNow()} at once: they do not depend on this batch's persistence (the leader's
 *       AppendEntries and heartbeats go out in parallel with its own log write, thesis §10.2.1).</li>
 *   <li>Persist {@link #hardState()} (if present), then {@link #compaction()} with
 *       {@code discardLog} (the whole stored log goes, before the entries below are appended), then
 *       {@link #entriesToPersist()} durably, then a {@code compaction} without {@code discardLog}. A non-empty
 *       {@code entriesToPersist} <em>replaces</em> the stored log from its first entry's index on (truncate the
 *       suffix, then append). When durable, call {@link RaftProtocol#persisted(long, long)} with the last
 *       entry's index and term.</li>
 *   <li>Only after step 2 is durable, send {@link #messagesAfterPersist()} (votes, append acknowledgements:
 *       §5.1, "respond to RPCs only after updating stable storage").</li>
 *   <li>After step 2, restore the state machine from {@link #snapshotToRestore()} if present, then apply
 *       {@link #committedEntries()} in order, then serve {@link #readStates()} once the applied index reaches
 *       each read index.</li>
 * </ol>
 * Snapshot work runs beside that, off the event loop: stream the latest local snapshot to each of
 * {@link #snapshotTargets()} (reporting failures with {@link RaftProtocol#reportSnapshot}), and write the
 * {@link #snapshotChunks()} received from the leader (reporting a complete, durable snapshot with
 * {@link RaftProtocol#snapshotReceived}).
 * Persistence of successive batches must happen in batch order (one storage queue). "Durable" in steps 3 and 4
 * means this batch <em>and every earlier one</em>: a batch with nothing to persist but with after-persist messages
 * or committed entries must still wait behind earlier batches still being written (route it through the same
 * storage queue), because an acknowledgement may cover entries an earlier batch carries.
 *
 * <p>{@link RaftProtocol#persisted(long, long)} may be reported late or for an entry that was since replaced
 * (a follower's log truncated by a new leader): the core ignores reports whose index/term no longer match. The
 * leader counts itself toward commitment only through these reports (thesis §10.2.1).
 *
 * <p>Reads and proposals are not failed by the core when leadership is lost: when {@link #softState()} shows a
 * role other than leader, or a new term, the driver fails pending reads (their {@link ReadState}s will never
 * come) and treats pending proposals as indeterminate until they are seen committed or overwritten.
 *
 * @param hardState the new term/vote, if it changed
 * @param entriesToPersist entries to write, replacing the log from the first one's index
 * @param messagesNow messages to send immediately
 * @param messagesAfterPersist messages to send once this batch is durable
 * @param committedEntries newly committed entries to apply, in index order
 * @param readStates linearizable reads whose read index is now confirmed
 * @param softState the new role and leader, if they changed
 * @param compaction a change to the start of the stored log, if any (§7)
 * @param snapshotToRestore a snapshot installed from the leader, which the state machine must restore before the
 *     committed entries that follow it
 * @param snapshotTargets followers that need the leader's latest snapshot (§7)
 * @param snapshotChunks InstallSnapshot chunks from the current leader, to be written in order
 */
public record Ready(
        Optional<HardState> hardState,
        List<LogEntry> entriesToPersist,
        List<RaftMessage> messagesNow,
        List<RaftMessage> messagesAfterPersist,
        List<LogEntry> committedEntries,
        List<ReadState> readStates,
        Optional<SoftState> softState,
        Optional<LogCompaction> compaction,
        Optional<SnapshotMeta> snapshotToRestore,
        List<NodeId> snapshotTargets,
        List<InstallSnapshotRequest> snapshotChunks) {

    /** Freezes the lists. */
    public Ready {
        entriesToPersist = List.copyOf(entriesToPersist);
        messagesNow = List.copyOf(messagesNow);
        messagesAfterPersist = List.copyOf(messagesAfterPersist);
        committedEntries = List.copyOf(committedEntries);
        readStates = List.copyOf(readStates);
        snapshotTargets = List.copyOf(snapshotTargets);
        snapshotChunks = List.copyOf(snapshotChunks);
    }

    /** @return whether the batch needs a durable write before its after-persist messages may go */
    public boolean needsPersist() {
        return hardState.isPresent() || !entriesToPersist.isEmpty() || compaction.isPresent();
    }
}
