package io.flotilla.transport.grpc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {
    /** A pool that runs nothing until told to: deterministic interleavings without threads. */
    private final ArrayDeque<Runnable> pool = new ArrayDeque<>();
    private final SerialExecutor serial = new SerialExecutor(pool::add);

    @Test
    void executeInlineIfIdle_idle_runsOnTheCallingThread() {
        Thread[] ranOn = new Thread[1];
        serial.executeInlineIfIdle(() -> ranOn[0] = Thread.currentThread());
        assertSame(Thread.currentThread(), ranOn[0]);
        assertTrue(pool.isEmpty(), "nothing handed to the pool");
    }

    @Test
    void executeInlineIfIdle_busy_queuesBehindInOrder_andNeverRunsTwoAtOnce() {
        List<String> order = new ArrayList<>();
        serial.execute(() -> order.add("a")); // handed to the pool, not run yet: the executor is busy
        serial.executeInlineIfIdle(() -> order.add("b"));
        assertTrue(order.isEmpty(), "a busy executor does not run the task on the caller");
        pool.poll().run();
        assertEquals(List.of("a", "b"), order);
        serial.executeInlineIfIdle(() -> order.add("c")); // idle again
        assertEquals(List.of("a", "b", "c"), order);
    }

    @Test
    void executeInlineIfIdle_tasksQueuedWhileRunningInline_runAfterIt_onTheSameCaller() {
        List<String> order = new ArrayList<>();
        serial.executeInlineIfIdle(() -> {
            order.add("first");
            serial.execute(() -> order.add("queued meanwhile")); // e.g. a gRPC callback arriving
            order.add("first done");
        });
        assertEquals(List.of("first", "first done", "queued meanwhile"), order);
        assertTrue(pool.isEmpty());
    }
}
