package io.flotilla.store.file.internal.log;

import io.flotilla.store.file.internal.io.FileHandle;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One open segment file and its in-memory summary: a sparse index (one point per {@value #INDEX_SPACING} bytes of
 * records) and the runs of equal terms. Memory per segment is a few KiB however many entries it holds.
 *
 * <p><b>Threading:</b> mutated by the writer and read by readers, both under {@link FileLogStore}'s lock.
 */
final class Segment {
    /** Bytes of records between two sparse index points. */
    static final int INDEX_SPACING = 64 * 1024;

    Path path;
    final FileHandle file;
    final long firstIndex;
    final boolean reset;
    // Invariant: records occupy [SEGMENT_HEADER_BYTES, end); lastIndex = firstIndex - 1 + number of records.
    long end;
    long lastIndex;
    long capacity;
    private long[] pointIndex = new long[8];
    private long[] pointOffset = new long[8];
    private int points;
    private long[] runStart = new long[4];
    private long[] runTerm = new long[4];
    private int runs;

    Segment(Path path, FileHandle file, long firstIndex, boolean reset, long capacity) {
        this.path = path;
        this.file = file;
        this.firstIndex = firstIndex;
        this.reset = reset;
        this.capacity = capacity;
        this.end = LogFormat.SEGMENT_HEADER_BYTES;
        this.lastIndex = firstIndex - 1;
    }

    /** Records one appended record (in index order). */
    void add(long index, long term, long offset, int size) {
        if (points == 0 || offset - pointOffset[points - 1] >= INDEX_SPACING) {
            if (points == pointIndex.length) {
                pointIndex = Arrays.copyOf(pointIndex, points * 2);
                pointOffset = Arrays.copyOf(pointOffset, points * 2);
            }
            pointIndex[points] = index;
            pointOffset[points] = offset;
            points++;
        }
        if (runs == 0 || runTerm[runs - 1] != term) {
            if (runs == runStart.length) {
                runStart = Arrays.copyOf(runStart, runs * 2);
                runTerm = Arrays.copyOf(runTerm, runs * 2);
            }
            runStart[runs] = index;
            runTerm[runs] = term;
            runs++;
        }
        lastIndex = index;
        end = offset + size;
    }

    /** Returns the term of an index in this segment. */
    long term(long index) {
        int lo = 0;
        int hi = runs - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (runStart[mid] <= index) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return runTerm[lo];
    }

    /** Returns {index, offset} of the last index point at or before an index. */
    long[] floorPoint(long index) {
        int lo = 0;
        int hi = points - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (pointIndex[mid] <= index) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return new long[] {pointIndex[lo], pointOffset[lo]};
    }

    /** Forgets records from an index on; {@code offset} is where that record started. */
    void truncateFrom(long index, long offset) {
        while (points > 0 && pointIndex[points - 1] >= index) {
            points--;
        }
        while (runs > 0 && runStart[runs - 1] >= index) {
            runs--;
        }
        lastIndex = index - 1;
        end = offset;
    }

    boolean isEmpty() {
        return lastIndex < firstIndex;
    }

    int memoryPoints() {
        return points + runs;
    }
}
