package io.flotilla.transport.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flotilla.NodeId;
import io.flotilla.message.HeartbeatRequest;
import io.flotilla.message.RaftMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The receiver-side ordering of pipelined batches, with a hand-driven timer (no threads, no sleeps). */
class InboundSequencerTest {
    private static final NodeId A = NodeId.of("a");
    private static final NodeId ME = NodeId.of("me");

    private final List<Long> delivered = new ArrayList<>();
    private final List<Runnable> timers = new ArrayList<>();
    private final InboundSequencer sequencer = new InboundSequencer((task, nanos) -> {
        timers.add(task);
        return () -> timers.remove(task);
    }, 1_000_000, batch -> batch.forEach(m -> delivered.add(((HeartbeatRequest) m).readContext())));

    private static List<RaftMessage> batch(long context) {
        return List.of(new HeartbeatRequest(A, ME, 1, 0, context));
    }

    @Test
    void complete_outOfOrder_isDeliveredInSequenceOrder() {
        sequencer.open(A, 7, 0);
        sequencer.open(A, 7, 1);
        sequencer.open(A, 7, 2);
        sequencer.complete(A, 7, 2, batch(2));
        sequencer.complete(A, 7, 1, batch(1));
        assertEquals(List.of(), delivered, "must wait for sequence 0, which is still arriving");
        sequencer.complete(A, 7, 0, batch(0));
        assertEquals(List.of(0L, 1L, 2L), delivered);
        assertEquals(List.of(), timers, "no gap, no timer");
    }

    @Test
    void refusedRequest_doesNotBlockItsSuccessors() {
        sequencer.open(A, 7, 0);
        sequencer.open(A, 7, 1);
        sequencer.complete(A, 7, 1, batch(1));
        sequencer.complete(A, 7, 0, List.of()); // refused: completes empty
        assertEquals(List.of(1L), delivered);
    }

    @Test
    void gap_thatNeverArrives_isSkippedWhenTheTimerFires() {
        sequencer.open(A, 7, 0);
        sequencer.complete(A, 7, 0, batch(0));
        sequencer.open(A, 7, 2); // sequence 1 was lost with its connection
        sequencer.complete(A, 7, 2, batch(2));
        assertEquals(List.of(0L), delivered);
        assertEquals(1, timers.size());
        timers.remove(0).run();
        assertEquals(List.of(0L, 2L), delivered);
        sequencer.open(A, 7, 1);
        sequencer.complete(A, 7, 1, batch(1)); // late: delivered at once
        assertEquals(List.of(0L, 2L, 1L), delivered);
    }

    @Test
    void newEpoch_flushesWhatWaited_andRestartsTheSequence() {
        sequencer.open(A, 7, 1);
        sequencer.complete(A, 7, 1, batch(1)); // waits for 0
        sequencer.open(A, 9, 0); // the sender's lane restarted
        assertEquals(List.of(1L), delivered, "waiting batches of the old epoch are flushed, not lost");
        assertEquals(List.of(), timers, "the old epoch's gap timer is cancelled");
        sequencer.complete(A, 9, 0, batch(10));
        assertEquals(List.of(1L, 10L), delivered);
    }
}
