package io.flotilla.testkit.mem;

import io.flotilla.LogEntry;
import io.flotilla.spi.LogCompactedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The entries of an in-memory log: a growable circular-free array window {@code buf[head, head + count)} holding
 * indices {@code [firstIndex, firstIndex + count)}. Append is amortised O(1); compaction moves {@code head}
 * forward and slides the window down only when more than half of the array is dead, so it is amortised O(1)
 * per removed entry too.
 *
 * <p>Not thread-safe: {@link MemData} guards it with its lock.
 */
final class MemLog {
    private static final LogEntry[] NONE = new LogEntry[0];

    // Invariant: buf[head .. head+count) are the entries firstIndex .. firstIndex+count-1, all other slots null.
    private LogEntry[] buf = NONE;
    private int head;
    private int count;
    private long firstIndex = 1;

    long firstIndex() {
        return firstIndex;
    }

    long lastIndex() {
        return firstIndex + count - 1;
    }

    long term(long index) throws LogCompactedException {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, got " + index);
        }
        if (index == 0) {
            return 0;
        }
        if (index < firstIndex) {
            throw new LogCompactedException(index, firstIndex);
        }
        if (index > lastIndex()) {
            throw new IllegalArgumentException("index " + index + " is beyond lastIndex " + lastIndex());
        }
        return buf[head + (int) (index - firstIndex)].term();
    }

    List<LogEntry> entries(long fromIndex, long toIndex, long maxBytes) throws LogCompactedException {
        if (toIndex < fromIndex) {
            throw new IllegalArgumentException("toIndex " + toIndex + " < fromIndex " + fromIndex);
        }
        if (fromIndex < 1) {
            throw new IllegalArgumentException("fromIndex must be >= 1, got " + fromIndex);
        }
        if (fromIndex < firstIndex) {
            throw new LogCompactedException(fromIndex, firstIndex);
        }
        if (toIndex > lastIndex() + 1) {
            throw new IllegalArgumentException(
                    "toIndex " + toIndex + " is beyond lastIndex + 1 = " + (lastIndex() + 1));
        }
        int n = (int) (toIndex - fromIndex);
        if (n == 0) {
            return List.of();
        }
        int start = head + (int) (fromIndex - firstIndex);
        List<LogEntry> out = new ArrayList<>(Math.min(n, 1024));
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            LogEntry e = buf[start + i];
            bytes += e.sizeBytes();
            if (i > 0 && bytes > maxBytes) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    /** Checks that {@code entries} continue the log; throws IllegalArgumentException otherwise. */
    void checkContinues(List<LogEntry> entries) {
        long expected = lastIndex() + 1;
        for (LogEntry e : entries) {
            if (e.index() != expected) {
                throw new IllegalArgumentException("entries must continue the log at index " + expected
                        + " (lastIndex " + lastIndex() + "), found index " + e.index()
                        + "; truncateSuffix first to overwrite");
            }
            expected++;
        }
    }

    void append(List<LogEntry> entries) {
        int n = entries.size();
        ensureRoom(n);
        int at = head + count;
        for (int i = 0; i < n; i++) {
            buf[at + i] = entries.get(i);
        }
        count += n;
    }

    void truncateSuffix(long fromIndex) {
        if (fromIndex < firstIndex || fromIndex > lastIndex() + 1) {
            throw new IllegalArgumentException("truncateSuffix index " + fromIndex + " outside ["
                    + firstIndex + ", " + (lastIndex() + 1) + "]");
        }
        int keep = (int) (fromIndex - firstIndex);
        Arrays.fill(buf, head + keep, head + count, null);
        count = keep;
    }

    void compactPrefix(long throughIndex) {
        if (throughIndex < 0) {
            throw new IllegalArgumentException("throughIndex must be >= 0, got " + throughIndex);
        }
        if (throughIndex < firstIndex) {
            return;
        }
        if (throughIndex >= lastIndex()) {
            Arrays.fill(buf, head, head + count, null);
            head = 0;
            count = 0;
            firstIndex = throughIndex + 1;
            return;
        }
        int drop = (int) (throughIndex - firstIndex + 1);
        Arrays.fill(buf, head, head + drop, null);
        head += drop;
        count -= drop;
        firstIndex = throughIndex + 1;
    }

    private void ensureRoom(int n) {
        if (head + count + n <= buf.length) {
            return;
        }
        if ((long) count + n > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("in-memory log cannot hold more than ~2^31 entries");
        }
        int needed = count + n;
        if (needed <= buf.length / 2) {
            System.arraycopy(buf, head, buf, 0, count);
            Arrays.fill(buf, count, head + count, null);
        } else {
            LogEntry[] grown = new LogEntry[Math.max(16, Math.max(needed, buf.length * 2))];
            System.arraycopy(buf, head, grown, 0, count);
            buf = grown;
        }
        head = 0;
    }
}
