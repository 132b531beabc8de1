package io.flotilla.core.internal.log;

import io.flotilla.LogEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * The tail of the log that is not yet known to be durable (etcd raft's {@code unstable}): entries appended in
 * memory, some of which have been handed to the driver for persistence ("in progress") and not yet reported
 * durable. They stay here, readable, until {@link #stableTo(long, long)}.
 *
 * <p><b>Threading:</b> not thread-safe; used only on the event loop.
 */
final class UnstableLog {
    // Invariant: offset == the durable last index + 1 (the index of entries.get(0) when not empty).
    private long offset;
    private final ArrayList<LogEntry> entries = new ArrayList<>();
    // Invariant: offset <= offsetInProgress <= offset + entries.size(). Entries below it were handed out.
    private long offsetInProgress;

    UnstableLog(long offset) {
        this.offset = offset;
        this.offsetInProgress = offset;
    }

    long offset() {
        return offset;
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    int size() {
        return entries.size();
    }

    /** @return the last index held, or {@code offset - 1} if empty */
    long lastIndex() {
        return offset + entries.size() - 1;
    }

    /** @return the entry at {@code index}; the caller checks the range */
    LogEntry get(long index) {
        return entries.get((int) (index - offset));
    }

    /** @return the term at {@code index}, or -1 if not held here */
    long term(long index) {
        if (index < offset || index > lastIndex()) {
            return -1;
        }
        return entries.get((int) (index - offset)).term();
    }

    /** Appends one entry at the end (the leader's proposal fast path). */
    void append(LogEntry entry) {
        entries.add(entry);
    }

    /**
     * Appends entries, first removing every held entry at or after the first one's index (§5.3: "if an existing
     * entry conflicts with a new one, delete the existing entry and all that follow it"). Entries already handed
     * out from the removed range are handed out again, replacing the stored suffix.
     *
     * @param newEntries consecutive entries, the first at most {@code lastIndex() + 1}
     */
    void truncateAndAppend(List<LogEntry> newEntries) {
        long first = newEntries.get(0).index();
        if (first == offset + entries.size()) {
            entries.addAll(newEntries);
        } else if (first <= offset) {
            // Replaces everything held, and possibly part of the durable log too.
            offset = first;
            offsetInProgress = first;
            entries.clear();
            entries.addAll(newEntries);
        } else {
            entries.subList((int) (first - offset), entries.size()).clear();
            offsetInProgress = Math.min(offsetInProgress, first);
            entries.addAll(newEntries);
        }
    }

    /** @return whether some entries have not been handed out for persistence */
    boolean hasNextToPersist() {
        return offsetInProgress < offset + entries.size();
    }

    /** @return the entries not yet handed out, as a fresh list */
    List<LogEntry> nextToPersist() {
        return List.copyOf(entries.subList((int) (offsetInProgress - offset), entries.size()));
    }

    /** Marks every held entry as handed out. */
    void acceptInProgress() {
        offsetInProgress = offset + entries.size();
    }

    /**
     * Drops the entries up to {@code index}, which are now durable, if the entry there is still the one that was
     * written (same term) and was handed out; otherwise ignores the report (the entry was replaced since).
     *
     * @return whether the report was accepted
     */
    boolean stableTo(long index, long term) {
        if (index < offset || index >= offsetInProgress) {
            return false;
        }
        if (get(index).term() != term) {
            return false;
        }
        int n = (int) (index + 1 - offset);
        if (n == entries.size()) {
            entries.clear();
        } else {
            entries.subList(0, n).clear();
        }
        offset = index + 1;
        return true;
    }

    /** @return a view of {@code [lo, hi)}, valid until the next mutation; the caller copies it */
    List<LogEntry> slice(long lo, long hi) {
        return entries.subList((int) (lo - offset), (int) (hi - offset));
    }

    /** Forgets every entry (a crash in tests; or reset to a new offset after a snapshot). */
    void reset(long newOffset) {
        entries.clear();
        offset = newOffset;
        offsetInProgress = newOffset;
    }
}
