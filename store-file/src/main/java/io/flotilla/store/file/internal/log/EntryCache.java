package io.flotilla.store.file.internal.log;

import io.flotilla.LogEntry;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A least-recently-used cache of log entries bounded by {@link LogEntry#sizeBytes()}. Holds what was recently
 * appended (followers and the state machine read it next) and what was recently read from disk.
 * Thread-safe (synchronized).
 */
final class EntryCache {
    private final long budget;
    private final LinkedHashMap<Long, LogEntry> map = new LinkedHashMap<>(1024, 0.75f, true);
    private long bytes;

    EntryCache(long budgetBytes) {
        this.budget = budgetBytes;
    }

    synchronized LogEntry get(long index) {
        return map.get(index);
    }

    synchronized void put(LogEntry e) {
        long size = e.sizeBytes();
        if (size > budget) {
            return;
        }
        LogEntry old = map.put(e.index(), e);
        if (old != null) {
            bytes -= old.sizeBytes();
        }
        bytes += size;
        Iterator<LogEntry> it = map.values().iterator();
        while (bytes > budget && it.hasNext()) {
            bytes -= it.next().sizeBytes();
            it.remove();
        }
    }

    /** Removes every entry at or after an index. */
    synchronized void removeFrom(long index) {
        removeIf(index, Long.MAX_VALUE);
    }

    /** Removes every entry before an index. */
    synchronized void removeBefore(long index) {
        removeIf(Long.MIN_VALUE, index);
    }

    private void removeIf(long from, long to) {
        Iterator<Map.Entry<Long, LogEntry>> it = map.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, LogEntry> e = it.next();
            if (e.getKey() >= from && e.getKey() < to) {
                bytes -= e.getValue().sizeBytes();
                it.remove();
            }
        }
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized int size() {
        return map.size();
    }
}
