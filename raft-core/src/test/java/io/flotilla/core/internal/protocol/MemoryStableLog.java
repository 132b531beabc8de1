package io.flotilla.core.internal.protocol;

import io.flotilla.HardState;
import io.flotilla.LogEntry;
import io.flotilla.core.internal.log.StableLog;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A durable log and hard state held in memory, for protocol tests: what a node "has on disk". Applies a
 * {@link Ready}'s persistence exactly as the Ready contract says (a non-empty batch replaces the suffix).
 */
final class MemoryStableLog implements StableLog {
    private final ArrayList<LogEntry> entries = new ArrayList<>(); // entries.get(i).index() == i + 1
    private HardState hardState = HardState.INITIAL;

    HardState hardState() {
        return hardState;
    }

    List<LogEntry> all() {
        return List.copyOf(entries);
    }

    /** Persists a Ready's hard state and entries. */
    void persist(Ready rd) {
        rd.hardState().ifPresent(hs -> hardState = hs);
        append(rd.entriesToPersist());
    }

    void append(List<LogEntry> batch) {
        if (batch.isEmpty()) {
            return;
        }
        long first = batch.get(0).index();
        if (first > entries.size() + 1) {
            throw new IllegalStateException("gap: appending " + first + " after " + entries.size());
        }
        while (entries.size() >= first) {
            entries.remove(entries.size() - 1);
        }
        entries.addAll(batch);
    }

    void replaceAll(List<LogEntry> all) {
        entries.clear();
        entries.addAll(all);
    }

    void setHardState(HardState hs) {
        hardState = hs;
    }

    @Override
    public long firstIndex() {
        return 1;
    }

    @Override
    public long lastIndex() {
        return entries.size();
    }

    @Override
    public long term(long index) throws IOException {
        if (index == 0) {
            return 0;
        }
        if (index > entries.size()) {
            throw new IllegalArgumentException("term(" + index + ") beyond last index " + entries.size());
        }
        return entries.get((int) index - 1).term();
    }

    @Override
    public List<LogEntry> entries(long fromIndex, long toIndex, long maxBytes) throws IOException {
        if (toIndex > entries.size() + 1 || fromIndex < 1 || toIndex < fromIndex) {
            throw new IllegalArgumentException("entries [" + fromIndex + ", " + toIndex + ") outside [1, "
                    + (entries.size() + 1) + ")");
        }
        List<LogEntry> out = new ArrayList<>();
        long bytes = 0;
        for (long i = fromIndex; i < toIndex; i++) {
            LogEntry e = entries.get((int) i - 1);
            if (!out.isEmpty() && bytes + e.sizeBytes() > maxBytes) {
                break;
            }
            bytes += e.sizeBytes();
            out.add(e);
        }
        return out;
    }
}
