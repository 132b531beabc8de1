package io.flotilla.core.internal.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.ReplicationState;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void probe_pausesAfterOneAppendUntilAnswered() {
        Progress p = new Progress(5, false, 10, 1000);
        assertEquals(ReplicationState.PROBE, p.state());
        assertFalse(p.isPaused());
        p.sentEntries(6, 2, 50);
        assertTrue(p.isPaused());
        assertEquals(5, p.next(), "probe does not advance next optimistically");
        p.resumeProbe();
        assertFalse(p.isPaused());
    }

    @Test
    void replicate_advancesNextOptimisticallyAndPausesWhenWindowFull() {
        Progress p = new Progress(1, false, 2, 1000);
        p.maybeUpdate(3);
        p.becomeReplicate();
        assertEquals(4, p.next());
        p.sentEntries(5, 2, 10);
        p.sentEntries(8, 3, 10);
        assertEquals(9, p.next());
        assertTrue(p.isPaused());
        p.maybeUpdate(5);
        p.inflights().freeLE(5);
        assertFalse(p.isPaused());
    }

    @Test
    void maybeUpdate_ignoresStaleAcks() {
        Progress p = new Progress(1, false, 2, 1000);
        assertTrue(p.maybeUpdate(4));
        assertFalse(p.maybeUpdate(3));
        assertEquals(4, p.match());
        assertEquals(5, p.next());
    }

    @Test
    void maybeDecrTo_inProbe_acceptsOnlyTheAnswerToTheLatestProbe() {
        Progress p = new Progress(10, false, 2, 1000);
        assertFalse(p.maybeDecrTo(5, 3), "rejection of an older probe");
        assertTrue(p.maybeDecrTo(9, 6));
        assertEquals(6, p.next());
        assertTrue(p.maybeDecrTo(5, 1));
        assertEquals(1, p.next());
    }

    @Test
    void maybeDecrTo_inReplicate_fallsBackToProbeButNeverBelowMatch() {
        Progress p = new Progress(1, false, 4, 1000);
        p.maybeUpdate(5);
        p.becomeReplicate();
        p.sentEntries(9, 4, 10);
        assertFalse(p.maybeDecrTo(4, 1), "rejections at or below match are stale");
        assertTrue(p.maybeDecrTo(7, 2));
        assertEquals(ReplicationState.PROBE, p.state());
        assertEquals(6, p.next(), "next never goes to or below match");
        assertEquals(0, p.inflights().count());
    }

    @Test
    void emptyAppend_inReplicate_doesNotUseTheWindow() {
        Progress p = new Progress(1, false, 1, 1000);
        p.becomeReplicate();
        p.sentEntries(0, 0, 0);
        assertFalse(p.isPaused());
    }

    @Test
    void readContextAndCommitSent_onlyIncrease() {
        Progress p = new Progress(1, false, 1, 1000);
        p.ackReadContext(5);
        p.ackReadContext(3);
        assertEquals(5, p.readContextAck());
        p.commitSent(7);
        p.commitSent(2);
        assertEquals(7, p.commitSent());
    }
}
