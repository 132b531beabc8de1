package io.flotilla.core.internal.log;

import io.flotilla.LogEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The replicated log as the protocol core sees it (etcd raft's {@code raftLog}): a durable prefix read through
 * {@link StableLog}, followed by an {@link UnstableLog} tail held in memory until the driver reports it durable.
 * Tracks the commit index (§5.3) and how far committed entries were handed out for application.
 *
 * <p>Only indices known to be durable are read from the store: {@code [firstIndex, durableLastIndex]}. Everything
 * after that is served from memory, so the storage thread may write (and truncate) beyond it concurrently.
 *
 * <p><b>Threading:</b> not thread-safe; used only on the event loop. <b>Failure:</b> a failing store read throws
 * {@link UncheckedIOException}; the driver must then fail the node (etcd {@code storage.go}: the raft instance
 * becomes inoperable).
 */
public final class RaftLog {
    /** Returned by {@link #term(long)} for an index outside the log (compacted or beyond the end). */
    public static final long NO_TERM = -1;

    private final StableLog stable;
    private final UnstableLog unstable;
    // The latest snapshot (§7): every entry up to snapshotIndex is covered by it.
    private long snapshotIndex;
    private long snapshotTerm;
    // The entry just before the first readable one, whose term is remembered (the log's "dummy" entry): entries
    // at or below floorIndex may have been compacted away. Invariant: floorIndex <= snapshotIndex, or the log
    // keeps entries below the snapshot as a catch-up margin (floorIndex < snapshotIndex).
    private long floorIndex;
    private long floorTerm;
    // Invariant: committed <= lastIndex(); committed never decreases.
    private long committed;
    // Invariant: applying <= committed. The last index handed out for application.
    private long applying;

    /**
     * @param stable the durable log
     * @param snapshotIndex the last index covered by the latest snapshot (0 if none)
     * @param snapshotTerm its term
     * @param appliedIndex the index the state machine was restored to
     * @throws UncheckedIOException if the store cannot be read
     */
    public RaftLog(StableLog stable, long snapshotIndex, long snapshotTerm, long appliedIndex) {
        this.stable = stable;
        this.snapshotIndex = snapshotIndex;
        this.snapshotTerm = snapshotTerm;
        long durableLast;
        try {
            long storeFirst = stable.firstIndex();
            durableLast = Math.max(stable.lastIndex(), snapshotIndex);
            if (storeFirst > snapshotIndex || storeFirst > stable.lastIndex()) {
                // The log starts right after the snapshot (or is empty): the snapshot is the floor.
                floorIndex = snapshotIndex;
                floorTerm = snapshotTerm;
            } else if (storeFirst <= 1) {
                floorIndex = 0;
                floorTerm = 0;
            } else {
                // Entries below the snapshot were kept as a catch-up margin; the first one's predecessor is gone,
                // so the first readable entry serves as the floor (its term is known).
                floorIndex = storeFirst;
                floorTerm = stable.term(storeFirst);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the log's bounds", e);
        }
        this.unstable = new UnstableLog(durableLast + 1);
        // The commit index is not persisted (Figure 2: volatile state); what was applied was committed.
        this.committed = Math.min(Math.max(snapshotIndex, appliedIndex), durableLast);
        this.applying = committed;
    }

    /** @return the first index still readable in the log */
    public long firstIndex() {
        return floorIndex + 1;
    }

    /** @return the last index, durable or not */
    public long lastIndex() {
        return unstable.lastIndex();
    }

    /** @return the term of the last entry */
    public long lastTerm() {
        return term(lastIndex());
    }

    /** @return the last index known to be durable */
    public long durableLastIndex() {
        return unstable.offset() - 1;
    }

    /** @return the snapshot's last included index */
    public long snapshotIndex() {
        return snapshotIndex;
    }

    /** @return the snapshot's last included term */
    public long snapshotTerm() {
        return snapshotTerm;
    }

    /**
     * Records a snapshot this node took of its own applied state (§7). Entries stay readable until
     * {@link #compactTo(long)}.
     *
     * @param index the snapshot's last included index, at most {@link #committed()}
     * @param term the term of that entry
     */
    public void snapshotTaken(long index, long term) {
        if (index <= snapshotIndex) {
            return;
        }
        if (index > committed) {
            throw new IllegalStateException("snapshot at " + index + " beyond the commit index " + committed);
        }
        snapshotIndex = index;
        snapshotTerm = term;
    }

    /**
     * Forgets entries up to {@code index}, which the snapshot covers and which are durable (§7 log compaction).
     * The driver then lets the store discard them ({@code LogStore.compactPrefix}).
     *
     * @param index the last index to forget; at most the snapshot index and the durable last index
     * @return whether the floor moved
     */
    public boolean compactTo(long index) {
        if (index <= floorIndex) {
            return false;
        }
        if (index > snapshotIndex || index > durableLastIndex()) {
            throw new IllegalStateException("cannot compact to " + index + ": snapshot " + snapshotIndex
                    + ", durable " + durableLastIndex());
        }
        floorTerm = term(index);
        floorIndex = index;
        return true;
    }

    /**
     * Installs a snapshot received from the leader (§7, Figure 13 receiver rules 6 and 7): if the log holds the
     * snapshot's last entry (same index and term), the entries after it are kept; otherwise the whole log is
     * discarded and continues after the snapshot. Either way the snapshot's entries count as committed.
     *
     * @param index the snapshot's last included index, above {@link #committed()}
     * @param term its term
     * @return whether the log's suffix was kept (false: the log was discarded)
     */
    public boolean installSnapshot(long index, long term) {
        if (index <= committed) {
            throw new IllegalStateException("snapshot at " + index + " is not above the commit index " + committed);
        }
        boolean keep = index <= lastIndex() && term(index) == term;
        if (!keep) {
            unstable.reset(index + 1);
        }
        snapshotIndex = index;
        snapshotTerm = term;
        floorIndex = index;
        floorTerm = term;
        committed = index;
        applying = index;
        return keep;
    }

    /** @return the commit index */
    public long committed() {
        return committed;
    }

    /** @return the last index handed out for application */
    public long applying() {
        return applying;
    }

    /**
     * @param index an index
     * @return its term, 0 for index 0, or {@link #NO_TERM} if compacted or beyond the end
     */
    public long term(long index) {
        if (index == floorIndex) {
            return floorTerm;
        }
        if (index == snapshotIndex) {
            return snapshotTerm;
        }
        if (index < floorIndex || index > lastIndex()) {
            return NO_TERM;
        }
        if (index >= unstable.offset()) {
            return unstable.term(index);
        }
        try {
            return stable.term(index);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the term of entry " + index, e);
        }
    }

    /**
     * @param index an index
     * @param term a term
     * @return whether the log holds an entry of {@code term} at {@code index} (§5.3 consistency check)
     */
    public boolean matchTerm(long index, long term) {
        return term(index) == term;
    }

    /**
     * The election restriction (§5.4.1): a log is at least as up-to-date as this one if its last term is higher,
     * or equal with a last index at least as large.
     *
     * @param lastIndex the other log's last index
     * @param lastTerm the other log's last term
     * @return whether the other log is at least as up-to-date
     */
    public boolean isUpToDate(long lastIndex, long lastTerm) {
        long myTerm = lastTerm();
        return lastTerm > myTerm || (lastTerm == myTerm && lastIndex >= lastIndex());
    }

    /**
     * Appends a leader's new entry at the end (fast path: no conflict check, no copy).
     *
     * @param entry the entry, at {@code lastIndex() + 1}
     */
    public void appendLeader(LogEntry entry) {
        unstable.append(entry);
    }

    /**
     * Appends the entries an AppendEntries request carries after a successful consistency check (§5.3, Figure 2
     * receiver rules 3 and 4): skips those already present with the same term, truncates at the first real
     * conflict, and appends the rest. Entries that match are never truncated, so a stale, duplicated or
     * reordered request cannot remove anything.
     *
     * @param entries consecutive entries whose predecessor matches this log
     * @return the first index that was (re)written, or 0 if every entry was already present
     * @throws IllegalStateException if a conflicting entry is at or below the commit index (a safety violation)
     */
    public long maybeAppend(List<LogEntry> entries) {
        int n = entries.size();
        for (int i = 0; i < n; i++) {
            LogEntry e = entries.get(i);
            if (e.index() > lastIndex() || term(e.index()) != e.term()) {
                if (e.index() <= committed) {
                    throw new IllegalStateException("entry " + e.index() + " (term " + e.term()
                            + ") conflicts with committed entry of term " + term(e.index()) + " (commit " + committed + ")");
                }
                unstable.truncateAndAppend(i == 0 ? entries : entries.subList(i, n));
                return e.index();
            }
        }
        return 0;
    }

    /**
     * Returns the first index of the term that holds {@code index}, searching back no further than {@code floor}
     * (the follower's conflict hint, §5.3).
     *
     * @param index an index in the log
     * @param floor the lowest index to return
     * @return the first index of that term, or {@code floor}
     */
    public long firstIndexOfTermAt(long index, long floor) {
        long t = term(index);
        long i = index;
        while (i > floor && term(i - 1) == t) {
            i--;
        }
        return i;
    }

    /**
     * Finds the largest index at or below {@code index} and above {@code floor} whose term is at most
     * {@code term} (the leader's use of the conflict hint).
     *
     * @param index where to start
     * @param term the bound
     * @param floor the lowest index to consider (known to match)
     * @return the index found, or {@code floor}
     */
    public long lastIndexWithTermAtMost(long index, long term, long floor) {
        long i = Math.min(index, lastIndex());
        while (i > floor) {
            long t = term(i);
            if (t != NO_TERM && t <= term) {
                return i;
            }
            if (t == NO_TERM && i < firstIndex()) {
                return floor;
            }
            i--;
        }
        return floor;
    }

    /**
     * Reads entries {@code [lo, hi)}, stopping before the byte budget or the count limit is exceeded (at least
     * one entry if the range is not empty).
     *
     * @param lo the first index, at least {@link #firstIndex()}
     * @param hi the end, exclusive, at most {@code lastIndex() + 1}
     * @param maxBytes the byte budget
     * @param maxCount the most entries
     * @return the entries; a view that the caller must copy before the log changes
     */
    public List<LogEntry> entries(long lo, long hi, long maxBytes, int maxCount) {
        if (lo < firstIndex() || hi > lastIndex() + 1 || lo > hi) {
            throw new IllegalArgumentException("entries [" + lo + ", " + hi + ") outside the log ["
                    + firstIndex() + ", " + (lastIndex() + 1) + ")");
        }
        if (lo == hi) {
            return List.of();
        }
        hi = Math.min(hi, lo + maxCount);
        long uOffset = unstable.offset();
        List<LogEntry> fromStore = List.of();
        if (lo < uOffset) {
            try {
                fromStore = stable.entries(lo, Math.min(hi, uOffset), maxBytes);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read entries [" + lo + ", " + hi + ")", e);
            }
            long storeEnd = lo + fromStore.size();
            if (storeEnd < Math.min(hi, uOffset) || storeEnd == hi) {
                return fromStore; // the budget stopped the read, or the range ended in the durable part
            }
            maxBytes -= sizeOf(fromStore);
            if (maxBytes <= 0) {
                return fromStore;
            }
        }
        long start = Math.max(lo, uOffset);
        long end = start;
        long bytes = 0;
        while (end < hi) {
            long size = unstable.get(end).sizeBytes();
            if (end > start && bytes + size > maxBytes) {
                break;
            }
            if (end == start && !fromStore.isEmpty() && size > maxBytes) {
                break;
            }
            bytes += size;
            end++;
        }
        List<LogEntry> fromMemory = unstable.slice(start, end);
        if (fromStore.isEmpty()) {
            return fromMemory;
        }
        ArrayList<LogEntry> all = new ArrayList<>(fromStore.size() + fromMemory.size());
        all.addAll(fromStore);
        all.addAll(fromMemory);
        return all;
    }

    private static long sizeOf(List<LogEntry> entries) {
        long n = 0;
        for (int i = 0, s = entries.size(); i < s; i++) {
            n += entries.get(i).sizeBytes();
        }
        return n;
    }

    /**
     * Advances the commit index (never backwards).
     *
     * @param index the new commit index, at most {@link #lastIndex()}
     * @return whether it advanced
     * @throws IllegalStateException if {@code index} is beyond the log
     */
    public boolean commitTo(long index) {
        if (index <= committed) {
            return false;
        }
        if (index > lastIndex()) {
            throw new IllegalStateException("commit index " + index + " beyond last index " + lastIndex());
        }
        committed = index;
        return true;
    }

    /** @return whether committed entries wait to be handed out for application */
    public boolean hasNextCommittedEntries() {
        return applying < committed;
    }

    /**
     * Hands out the next committed entries for application and marks them handed out.
     *
     * @param maxBytes the byte budget (at least one entry is returned)
     * @return the entries, in index order (a fresh list)
     */
    public List<LogEntry> nextCommittedEntries(long maxBytes) {
        if (applying >= committed) {
            return List.of();
        }
        List<LogEntry> out = List.copyOf(entries(applying + 1, committed + 1, maxBytes, Integer.MAX_VALUE));
        applying += out.size();
        return out;
    }

    /** @return whether some entries wait to be handed out for persistence */
    public boolean hasNextToPersist() {
        return unstable.hasNextToPersist();
    }

    /**
     * Hands out the entries to persist and marks them in progress.
     *
     * @return the entries (a fresh list); empty if none
     */
    public List<LogEntry> takeNextToPersist() {
        if (!unstable.hasNextToPersist()) {
            return List.of();
        }
        List<LogEntry> out = unstable.nextToPersist();
        unstable.acceptInProgress();
        return out;
    }

    /**
     * Records that the log up to {@code index} is durable, if the entry there still has {@code term}.
     *
     * @param index the last durable index
     * @param term its term
     * @return whether the report matched the current log
     */
    public boolean stableTo(long index, long term) {
        return unstable.stableTo(index, term);
    }

    /** @return the number of entries held in memory */
    public int unstableSize() {
        return unstable.size();
    }

    @Override
    public String toString() {
        return "RaftLog[snapshot=" + snapshotIndex + " first=" + firstIndex() + " durable=" + durableLastIndex() + " last=" + lastIndex()
                + " committed=" + committed + " applying=" + applying + "]";
    }
}
