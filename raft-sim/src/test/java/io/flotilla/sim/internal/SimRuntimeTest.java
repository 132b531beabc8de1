package io.flotilla.sim.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.NodeId;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SimRuntimeTest {
    private final EventQueue queue = new EventQueue();
    private final List<String> failures = new ArrayList<>();

    private SimRuntime runtime(double clockRate) {
        return new SimRuntime(queue, NodeId.of("n1"), new SplittableRandom(7), clockRate, 1_000_000L, 2_000_000L,
                (node, where, error) -> failures.add(node + " " + where + " " + error));
    }

    private void drain() {
        while (queue.runNext()) {
            // run everything
        }
    }

    @Test
    void eventQueue_sameTime_runsInSchedulingOrder() {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            queue.schedule(100, () -> order.add(n));
        }
        queue.schedule(50, () -> order.add(-1));
        drain();
        assertEquals(List.of(-1, 0, 1, 2, 3, 4), order);
        assertEquals(100, queue.now());
        assertEquals(6, queue.executed());
    }

    @Test
    void executor_runsTasksSerially_inSubmissionOrder_withLatency() {
        SimRuntime rt = runtime(1.0);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            rt.storageExecutor().execute(() -> order.add(n));
        }
        drain();
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), order);
        assertTrue(queue.now() >= 10 * 1_000_000L, "each storage task takes at least the minimum fsync latency");
    }

    @Test
    void pause_holdsTasksUntilResume() {
        SimRuntime rt = runtime(1.0);
        List<String> ran = new ArrayList<>();
        rt.pause();
        rt.loopExecutor().execute(() -> ran.add("loop"));
        rt.applyExecutor().execute(() -> ran.add("apply"));
        drain();
        assertTrue(ran.isEmpty());
        rt.resume();
        drain();
        assertEquals(2, ran.size());
    }

    @Test
    void crash_dropsPendingTasks_andLaterSubmissions() {
        SimRuntime rt = runtime(1.0);
        List<String> ran = new ArrayList<>();
        rt.storageExecutor().execute(() -> ran.add("write-1"));
        rt.storageExecutor().execute(() -> ran.add("write-2"));
        queue.runNext(); // write-1 runs
        rt.crash();
        rt.storageExecutor().execute(() -> ran.add("after-crash"));
        drain();
        assertEquals(List.of("write-1"), ran);
        assertTrue(rt.isDead());
    }

    @Test
    void timer_ticksAtTheNodesClockRate_andStopsWhenClosed() throws Exception {
        SimRuntime fast = runtime(1.25);
        int[] ticks = {0};
        AutoCloseable timer = fast.scheduleAtFixedRate(() -> ticks[0]++, 10_000_000L);
        queue.schedule(1_000_000_000L, () -> { });
        while (queue.nextTime() <= 1_000_000_000L) {
            queue.runNext();
        }
        // A clock 25% fast fires a 10 ms timer every 8 ms of virtual time: 125 times in one second.
        assertTrue(ticks[0] >= 123 && ticks[0] <= 125, "ticks " + ticks[0]);
        timer.close();
        int before = ticks[0];
        queue.schedule(1_000_000_000L, () -> { });
        drain();
        assertEquals(before, ticks[0]);
    }

    @Test
    void pausedTimer_doesNotPileUpTicks() {
        SimRuntime rt = runtime(1.0);
        int[] ticks = {0};
        rt.scheduleAtFixedRate(() -> ticks[0]++, 10_000_000L);
        rt.pause();
        queue.schedule(500_000_000L, rt::resume);
        queue.schedule(505_000_000L, () -> { });
        while (queue.nextTime() <= 505_000_000L) {
            queue.runNext();
        }
        assertTrue(ticks[0] <= 2, "a paused node sees at most one delayed tick on resume, saw " + ticks[0]);
    }

    @Test
    void taskException_isReported_notPropagated() {
        SimRuntime rt = runtime(1.0);
        rt.loopExecutor().execute(() -> {
            throw new IllegalStateException("boom");
        });
        rt.loopExecutor().execute(() -> failures.add("next task still runs"));
        drain();
        assertEquals(2, failures.size());
        assertTrue(failures.get(0).contains("loop") && failures.get(0).contains("boom"));
    }
}
