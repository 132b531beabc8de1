package io.flotilla.core.internal.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.Bytes;
import io.flotilla.LogEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Snapshot bookkeeping of the in-memory log (§7): compaction floor, installs that keep or discard the log. */
class RaftLogSnapshotTest {

    private static RaftLog logWith(long... terms) {
        RaftLogTest.Store store = new RaftLogTest.Store();
        for (int i = 0; i < terms.length; i++) {
            store.entries.add(LogEntry.command(i + 1, terms[i], Bytes.ofUtf8("c" + (i + 1))));
        }
        return new RaftLog(store, 0, 0, 0);
    }

    @Test
    void compactTo_movesTheFloor_keepsTheTermOfTheFloorEntry_andRefusesBeyondTheSnapshot() {
        RaftLog log = logWith(1, 1, 2, 2, 3);
        log.commitTo(5);
        assertThrows(IllegalStateException.class, () -> log.compactTo(3), "no snapshot yet");
        log.snapshotTaken(4, 2);
        assertTrue(log.compactTo(3));
        assertEquals(4, log.firstIndex());
        assertEquals(2, log.term(3), "the floor's term is remembered (the consistency check of the next append)");
        assertEquals(RaftLog.NO_TERM, log.term(2), "compacted");
        assertEquals(2, log.term(4));
        assertEquals(4, log.snapshotIndex());
        assertFalse(log.compactTo(2), "never moves back");
        assertThrows(IllegalStateException.class, () -> log.compactTo(5), "not beyond the snapshot");
        assertThrows(IllegalArgumentException.class, () -> log.entries(3, 5, Long.MAX_VALUE, 10));
        assertEquals(2, log.entries(4, 6, Long.MAX_VALUE, 10).size());
    }

    @Test
    void snapshotTaken_beyondCommit_isASafetyError() {
        RaftLog log = logWith(1, 1, 1);
        log.commitTo(2);
        assertThrows(IllegalStateException.class, () -> log.snapshotTaken(3, 1));
    }

    @Test
    void installSnapshot_matchingEntry_keepsTheSuffix() {
        RaftLog log = logWith(1, 1, 2, 2, 2);
        log.commitTo(2);
        assertTrue(log.installSnapshot(4, 2), "the log holds index 4 with term 2: Figure 13 rule 6");
        assertEquals(5, log.lastIndex());
        assertEquals(4, log.committed());
        assertEquals(4, log.applying(), "the state machine restores the snapshot instead of applying 3..4");
        assertEquals(5, log.firstIndex());
        assertEquals(2, log.term(4));
    }

    @Test
    void installSnapshot_conflictingOrShortLog_discardsIt_andContinuesAfterTheSnapshot() {
        RaftLog conflicting = logWith(1, 1, 1, 1);
        assertFalse(conflicting.installSnapshot(3, 2), "term 1 at index 3, snapshot says 2: rule 7");
        assertEquals(3, conflicting.lastIndex());
        assertEquals(2, conflicting.lastTerm());
        assertEquals(3, conflicting.durableLastIndex(), "nothing after the snapshot is known durable");
        conflicting.maybeAppend(List.of(LogEntry.command(4, 2, Bytes.ofUtf8("x"))));
        assertEquals(4, conflicting.lastIndex());
        assertEquals(List.of(LogEntry.command(4, 2, Bytes.ofUtf8("x"))), conflicting.takeNextToPersist());

        RaftLog shorter = logWith(1);
        assertFalse(shorter.installSnapshot(10, 3));
        assertEquals(10, shorter.lastIndex());
        assertEquals(3, shorter.lastTerm());
        assertTrue(shorter.isUpToDate(10, 3));
    }

    @Test
    void installSnapshot_atOrBelowCommit_isRefused() {
        RaftLog log = logWith(1, 1, 1);
        log.commitTo(3);
        assertThrows(IllegalStateException.class, () -> log.installSnapshot(2, 1));
    }

    @Test
    void restart_withEntriesKeptBelowTheSnapshot_usesTheFirstStoredEntryAsTheFloor() {
        RaftLogTest.Store store = new RaftLogTest.Store() {
            @Override
            public long firstIndex() {
                return 3; // the store kept 3..6 (catch-up margin), the snapshot is at 5
            }
        };
        for (int i = 1; i <= 6; i++) {
            store.entries.add(LogEntry.command(i, 1, Bytes.ofUtf8("c" + i)));
        }
        RaftLog log = new RaftLog(store, 5, 1, 5);
        assertEquals(4, log.firstIndex(), "entry 3 serves as the floor: its predecessor's term is unknown");
        assertEquals(1, log.term(3));
        assertEquals(5, log.committed());
        assertEquals(2, log.entries(4, 6, Long.MAX_VALUE, 10).size());
    }
}
