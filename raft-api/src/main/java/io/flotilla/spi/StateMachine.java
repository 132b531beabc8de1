package io.flotilla.spi;

import io.flotilla.Bytes;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/**
 * The application's replicated state: Flotilla applies every committed command to it, in log order, exactly
 * once per node run.
 *
 * <h2>Determinism</h2>
 * {@link #apply} must be deterministic: the same commands in the same order produce the same state and results
 * on every node. It must not read clocks, random numbers or anything outside the state and the command.
 * Encode application errors ("key not found") in the returned {@link Bytes}; an exception thrown by
 * {@code apply} stops the node ({@code FAILED}), because a replica that skipped a command has diverged.
 *
 * <h2>Threading</h2>
 * {@link #apply}, {@link #query}, {@link #prepareSnapshot}, {@link #prepareDelta} and {@link #restore} are called
 * from one thread (the node's apply thread), never concurrently. {@link SnapshotImage#writeTo} and
 * {@link #mergeSnapshot} run on another thread (the snapshot thread) at the same time as {@code apply}. Long work in {@code apply} delays results, not the protocol:
 * applying runs off the event loop.
 *
 * <h2>Durability</h2>
 * The state machine need not persist anything: after a restart Flotilla restores the latest snapshot and
 * re-applies the log after it.
 */
public interface StateMachine {

    /**
     * Applies a committed command.
     *
     * @param logIndex the command's log index; strictly increasing across calls (gaps are no-op or
     *     configuration entries, or a restored snapshot)
     * @param command the command as proposed
     * @return the result handed to the proposer's future
     */
    Bytes apply(long logIndex, Bytes command);

    /**
     * Answers a read-only query from the current state. Called only when the state reflects every command
     * committed before the read was requested (linearizable reads).
     *
     * @param query the query as passed to {@code RaftNode.read}
     * @return the answer
     */
    Bytes query(Bytes query);

    /**
     * Captures a consistent view of the whole state, cheaply; the view is written out later on another thread.
     *
     * @param lastAppliedIndex the index of the last command applied to the state being captured
     * @return the frozen view
     */
    SnapshotImage prepareSnapshot(long lastAppliedIndex);

    /**
     * Captures only what changed since the state machine's previous snapshot (incremental snapshots): since the
     * last {@link #prepareSnapshot}, {@code prepareDelta} or {@link #restore}, whichever came last. The delta must
     * hold the current value of every key changed since then, including removals, so that restoring the chain's
     * parts in order rebuilds the state. A state machine that does not track changes returns empty, and a full
     * snapshot is taken instead. (If writing a delta fails, Flotilla takes the next snapshot in full, so changes the
     * state machine stopped tracking are never lost.)
     *
     * @param lastAppliedIndex the index of the last command applied to the state being captured
     * @param previousSnapshotIndex the index of the snapshot the delta builds on
     * @return the delta view, or empty to take a full snapshot
     */
    default Optional<SnapshotImage> prepareDelta(long lastAppliedIndex, long previousSnapshotIndex) {
        return Optional.empty();
    }

    /**
     * Merges a snapshot chain (a full base and its deltas, oldest first) into one full image in this state
     * machine's {@link #prepareSnapshot} format, without touching the live state: the result must equal what
     * {@link #restore} of the chain followed by {@code prepareSnapshot} would write. Flotilla calls it in the
     * background, on the snapshot thread and concurrently with {@link #apply}, when the chain grows past
     * {@code RaftConfig.snapshotMaxDeltaChain()}, and stores the result as the chain's replacement. A state machine
     * that writes deltas should implement it; when it returns {@code false} (the default) Flotilla instead takes
     * the next snapshot in full.
     *
     * @param chain the parts to merge, the full base first; each part's {@link SnapshotPart#open()} may be called
     * @param out where to write the merged full image; not closed by this method
     * @return whether a merged image was written
     * @throws IOException if reading or writing failed; the chain stays as it was
     */
    default boolean mergeSnapshot(List<SnapshotPart> chain, OutputStream out) throws IOException {
        return false;
    }

    /**
     * Replaces the whole state with a snapshot: read each part in order, the full base first, then each delta.
     *
     * @param snapshot the snapshot chain to restore
     * @throws IOException if reading failed or the data is corrupt; the node stops
     */
    void restore(SnapshotReader snapshot) throws IOException;
}
