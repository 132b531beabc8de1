package io.flotilla.core.internal.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.Bytes;
import io.flotilla.LogEntry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnstableLogTest {
    static List<LogEntry> ents(long first, long... terms) {
        List<LogEntry> out = new ArrayList<>();
        for (int i = 0; i < terms.length; i++) {
            out.add(LogEntry.command(first + i, terms[i], Bytes.EMPTY));
        }
        return out;
    }

    @Test
    void nextToPersist_handsOutEachEntryOnce() {
        UnstableLog u = new UnstableLog(1);
        u.truncateAndAppend(ents(1, 1, 1));
        assertEquals(2, u.nextToPersist().size());
        u.acceptInProgress();
        assertFalse(u.hasNextToPersist());
        u.truncateAndAppend(ents(3, 1));
        assertEquals(List.of(3L), u.nextToPersist().stream().map(LogEntry::index).toList());
    }

    @Test
    void stableTo_dropsDurableEntriesButKeepsUnreported() {
        UnstableLog u = new UnstableLog(1);
        u.truncateAndAppend(ents(1, 1, 1, 1));
        u.acceptInProgress();
        assertTrue(u.stableTo(2, 1));
        assertEquals(3, u.offset());
        assertEquals(3, u.lastIndex());
        assertEquals(1, u.term(3));
        assertEquals(-1, u.term(2), "durable entries are read from the store, not here");
    }

    @Test
    void stableTo_ignoresReplacedOrNotHandedOutEntries() {
        UnstableLog u = new UnstableLog(1);
        u.truncateAndAppend(ents(1, 1, 1, 1));
        assertFalse(u.stableTo(2, 1), "not handed out yet");
        u.acceptInProgress();
        u.truncateAndAppend(ents(2, 2)); // 2/1, 3/1 replaced by 2/2
        assertFalse(u.stableTo(3, 1), "entry 3 no longer exists");
        assertFalse(u.stableTo(2, 1), "entry 2 has another term now");
        assertTrue(u.stableTo(1, 1), "entry 1 was handed out and is unchanged");
    }

    @Test
    void truncateAndAppend_inTheMiddle_reHandsOutTheReplacedRange() {
        UnstableLog u = new UnstableLog(1);
        u.truncateAndAppend(ents(1, 1, 1, 1));
        u.acceptInProgress();
        u.truncateAndAppend(ents(2, 3, 3));
        assertEquals(List.of(2L, 3L), u.nextToPersist().stream().map(LogEntry::index).toList());
        assertEquals(3, u.lastIndex());
    }

    @Test
    void truncateAndAppend_beforeOffset_replacesDurableSuffix() {
        UnstableLog u = new UnstableLog(6); // 1..5 durable
        u.truncateAndAppend(ents(6, 2));
        u.truncateAndAppend(ents(4, 3));
        assertEquals(4, u.offset());
        assertEquals(4, u.lastIndex());
        assertEquals(List.of(4L), u.nextToPersist().stream().map(LogEntry::index).toList());
    }
}
