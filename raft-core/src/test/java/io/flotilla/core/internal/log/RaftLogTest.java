package io.flotilla.core.internal.log;

import static io.flotilla.core.internal.log.UnstableLogTest.ents;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.Bytes;
import io.flotilla.LogEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RaftLogTest {
    /** A store that records reads, to prove the log never reads non-durable indices from it. */
    static class Store implements StableLog {
        final List<LogEntry> entries = new ArrayList<>();
        long maxIndexRead;
        boolean fail;

        @Override
        public long firstIndex() {
            return 1;
        }

        @Override
        public long lastIndex() throws IOException {
            if (fail) {
                throw new IOException("disk gone");
            }
            return entries.size();
        }

        @Override
        public long term(long index) throws IOException {
            if (fail) {
                throw new IOException("disk gone");
            }
            maxIndexRead = Math.max(maxIndexRead, index);
            return index == 0 ? 0 : entries.get((int) index - 1).term();
        }

        @Override
        public List<LogEntry> entries(long from, long to, long maxBytes) {
            maxIndexRead = Math.max(maxIndexRead, to - 1);
            List<LogEntry> out = new ArrayList<>();
            long bytes = 0;
            for (long i = from; i < to; i++) {
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

    private static Store store(long... terms) {
        Store s = new Store();
        s.entries.addAll(ents(1, terms));
        return s;
    }

    @Test
    void newLog_readsDurableEntriesFromTheStore() {
        RaftLog log = new RaftLog(store(1, 1, 2), 0, 0, 0);
        assertEquals(3, log.lastIndex());
        assertEquals(3, log.durableLastIndex());
        assertEquals(2, log.lastTerm());
        assertEquals(0, log.term(0));
        assertEquals(RaftLog.NO_TERM, log.term(4));
        assertEquals(0, log.committed());
    }

    @Test
    void maybeAppend_skipsMatchingEntriesAndTruncatesOnlyAtConflict() {
        RaftLog log = new RaftLog(store(1, 1, 2, 2), 0, 0, 0);
        assertEquals(0, log.maybeAppend(ents(2, 1, 2)), "all present: nothing rewritten");
        assertEquals(4, log.lastIndex());
        assertEquals(3, log.maybeAppend(ents(2, 1, 3)));
        assertEquals(3, log.lastIndex(), "entry 4 went with the conflicting 3");
        assertEquals(2, log.durableLastIndex(), "3 and 4 are no longer known durable");
        assertEquals(List.of(3L), log.takeNextToPersist().stream().map(LogEntry::term).toList());
    }

    @Test
    void maybeAppend_conflictAtOrBelowCommit_isASafetyViolation() {
        RaftLog log = new RaftLog(store(1, 1, 2), 0, 0, 0);
        log.commitTo(3);
        assertThrows(IllegalStateException.class, () -> log.maybeAppend(ents(3, 3)));
    }

    @Test
    void entries_spanStoreAndMemory_andRespectBudgets() {
        Store s = store(1, 1);
        RaftLog log = new RaftLog(s, 0, 0, 0);
        for (long i = 3; i <= 6; i++) {
            log.appendLeader(LogEntry.command(i, 2, Bytes.ofUtf8("0123456789")));
        }
        assertEquals(6, log.entries(1, 7, Long.MAX_VALUE, 100).size());
        assertEquals(3, log.entries(1, 7, Long.MAX_VALUE, 3).size());
        long one = LogEntry.OVERHEAD_BYTES;
        long big = one + 10;
        assertEquals(3, log.entries(1, 7, 2 * one + big, 100).size());
        assertEquals(1, log.entries(3, 7, 1, 100).size(), "at least one entry however large");
        assertTrue(s.maxIndexRead <= 2, "never reads non-durable indices from the store");
    }

    @Test
    void stableTo_movesTheDurableBoundaryOnlyForTheCurrentEntry() {
        Store s = store();
        RaftLog log = new RaftLog(s, 0, 0, 0);
        log.appendLeader(LogEntry.noOp(1, 1));
        log.appendLeader(LogEntry.noOp(2, 1));
        List<LogEntry> batch = log.takeNextToPersist();
        assertEquals(2, batch.size());
        s.entries.addAll(batch);
        assertFalse(log.stableTo(2, 5), "wrong term");
        assertTrue(log.stableTo(2, 1));
        assertEquals(2, log.durableLastIndex());
        assertEquals(1, log.term(2));
    }

    @Test
    void committedEntries_areHandedOutOnceInOrder() {
        RaftLog log = new RaftLog(store(1, 1, 1), 0, 0, 0);
        assertFalse(log.hasNextCommittedEntries());
        log.commitTo(2);
        assertEquals(List.of(1L, 2L), log.nextCommittedEntries(Long.MAX_VALUE).stream().map(LogEntry::index).toList());
        assertFalse(log.hasNextCommittedEntries());
        log.commitTo(3);
        assertEquals(1, log.nextCommittedEntries(1).size());
        assertFalse(log.commitTo(2), "commit never goes backwards");
        assertThrows(IllegalStateException.class, () -> log.commitTo(9));
    }

    @Test
    void upToDate_comparesLastTermThenLastIndex() {
        RaftLog log = new RaftLog(store(1, 2, 2), 0, 0, 0);
        assertTrue(log.isUpToDate(1, 3));
        assertTrue(log.isUpToDate(3, 2));
        assertFalse(log.isUpToDate(2, 2));
        assertFalse(log.isUpToDate(9, 1));
    }

    @Test
    void conflictHelpers_findTermBoundaries() {
        RaftLog log = new RaftLog(store(1, 1, 1, 4, 4, 5, 5, 6, 6, 6), 0, 0, 0);
        assertEquals(8, log.firstIndexOfTermAt(10, 1));
        assertEquals(9, log.firstIndexOfTermAt(10, 9), "never below the floor");
        assertEquals(7, log.lastIndexWithTermAtMost(10, 5, 0));
        assertEquals(3, log.lastIndexWithTermAtMost(10, 3, 0));
        assertEquals(2, log.lastIndexWithTermAtMost(10, 0, 2));
    }

    @Test
    void snapshotBoundary_servesTheSnapshotTermAndHidesCompactedIndices() {
        Store s = new Store();
        RaftLog log = new RaftLog(s, 10, 3, 10);
        assertEquals(11, log.firstIndex());
        assertEquals(10, log.lastIndex());
        assertEquals(3, log.term(10));
        assertEquals(RaftLog.NO_TERM, log.term(9));
        assertEquals(10, log.committed());
    }

    @Test
    void storeFailure_surfacesAsUncheckedIOException() {
        Store s = store(1);
        s.fail = true;
        assertThrows(UncheckedIOException.class, () -> new RaftLog(s, 0, 0, 0));
    }
}
