package io.flotilla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ValuesTest {
    @Test
    void nodeId_rejectsUnsafeText() {
        assertThrows(IllegalArgumentException.class, () -> NodeId.of(""));
        assertThrows(IllegalArgumentException.class, () -> NodeId.of("a/b"));
        assertThrows(IllegalArgumentException.class, () -> NodeId.of("x".repeat(65)));
        assertEquals("n-1.a_b", NodeId.of("n-1.a_b").toString());
        assertThrows(IllegalArgumentException.class, () -> ClusterId.of("has space"));
    }

    @Test
    void logEntry_validatesIndexAndTerm() {
        assertThrows(IllegalArgumentException.class, () -> LogEntry.noOp(0, 1));
        assertThrows(IllegalArgumentException.class, () -> LogEntry.noOp(1, -1));
        assertEquals(24 + 3, LogEntry.command(1, 1, Bytes.ofUtf8("abc")).sizeBytes());
    }

    @Test
    void entryKind_codesAreStable() {
        for (EntryKind k : EntryKind.values()) {
            assertEquals(k, EntryKind.fromCode(k.code()));
        }
        assertThrows(IllegalArgumentException.class, () -> EntryKind.fromCode(0));
    }

    @Test
    void hardState_initialHasNoVote() {
        assertEquals(new HardState(0, Optional.empty()), HardState.INITIAL);
        assertThrows(IllegalArgumentException.class, () -> HardState.of(-1));
    }
}
