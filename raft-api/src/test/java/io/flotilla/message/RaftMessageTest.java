package io.flotilla.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.Bytes;
import io.flotilla.LogEntry;
import io.flotilla.NodeId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RaftMessageTest {
    private static final NodeId A = NodeId.of("a");
    private static final NodeId B = NodeId.of("b");

    @Test
    void everyMessageIsARecord_withFromToTerm() {
        Class<?>[] permitted = RaftMessage.class.getPermittedSubclasses();
        assertEquals(13, permitted.length);
        for (Class<?> c : permitted) {
            assertTrue(c.isRecord(), c + " must be a record");
            List<String> names = new ArrayList<>();
            for (var rc : c.getRecordComponents()) {
                names.add(rc.getName());
            }
            assertEquals(List.of("from", "to", "term"), names.subList(0, 3), c.getSimpleName());
        }
    }

    @Test
    void appendEntries_requiresConsecutiveEntries_andCopiesList() {
        List<LogEntry> entries = new ArrayList<>(List.of(LogEntry.command(6, 2, Bytes.EMPTY), LogEntry.noOp(7, 2)));
        AppendEntriesRequest req = new AppendEntriesRequest(A, B, 2, 5, 1, entries, 4);
        entries.clear();
        assertEquals(2, req.entries().size());
        assertEquals(7, req.lastIndex());
        assertThrows(IllegalArgumentException.class,
                () -> new AppendEntriesRequest(A, B, 2, 5, 1, List.of(LogEntry.noOp(7, 2)), 4));
    }

    @Test
    void negativeFields_areRejected() {
        assertThrows(IllegalArgumentException.class, () -> new VoteRequest(A, B, -1, 0, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new HeartbeatRequest(A, B, 1, -1, 0));
        assertThrows(NullPointerException.class, () -> new TimeoutNow(null, B, 1));
    }
}
