package io.flotilla.core.internal.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.NodeId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ThreadedRuntimeTest {

    private static String threadNameOn(java.util.concurrent.Executor e) throws InterruptedException {
        AtomicReference<String> name = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        e.execute(() -> {
            name.set(Thread.currentThread().getName() + (Thread.currentThread().isDaemon() ? "/daemon" : ""));
            done.countDown();
        });
        assertTrue(done.await(10, TimeUnit.SECONDS));
        return name.get();
    }

    @Test
    void executors_runOnThreeNamedDaemonThreads() throws Exception {
        ThreadedRuntime rt = new ThreadedRuntime(NodeId.of("n7"));
        try {
            assertEquals("flotilla-n7-loop/daemon", threadNameOn(rt.loopExecutor()));
            assertEquals("flotilla-n7-storage/daemon", threadNameOn(rt.storageExecutor()));
            assertEquals("flotilla-n7-apply/daemon", threadNameOn(rt.applyExecutor()));
        } finally {
            rt.close();
        }
    }

    @Test
    void loopExecutor_isSerialAndFifo() throws Exception {
        ThreadedRuntime rt = new ThreadedRuntime(NodeId.of("n1"));
        try {
            List<Integer> seen = new ArrayList<>();
            CountDownLatch done = new CountDownLatch(1);
            for (int i = 0; i < 1000; i++) {
                int k = i;
                rt.loopExecutor().execute(() -> seen.add(k));
            }
            rt.loopExecutor().execute(done::countDown);
            assertTrue(done.await(10, TimeUnit.SECONDS));
            for (int i = 0; i < 1000; i++) {
                assertEquals(i, seen.get(i));
            }
        } finally {
            rt.close();
        }
    }

    @Test
    void scheduleAtFixedRate_runsOnLoopUntilClosed() throws Exception {
        ThreadedRuntime rt = new ThreadedRuntime(NodeId.of("n1"));
        try {
            AtomicInteger runs = new AtomicInteger();
            Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
            CountDownLatch three = new CountDownLatch(3);
            AutoCloseable h = rt.scheduleAtFixedRate(() -> {
                runs.incrementAndGet();
                threads.add(Thread.currentThread().getName());
                three.countDown();
            }, TimeUnit.MILLISECONDS.toNanos(1));
            assertTrue(three.await(10, TimeUnit.SECONDS));
            h.close();
            // After cancellation, a marker task queued behind any in-flight run sees a stable count.
            CountDownLatch marker = new CountDownLatch(1);
            rt.loopExecutor().execute(marker::countDown);
            assertTrue(marker.await(10, TimeUnit.SECONDS));
            int after = runs.get();
            CountDownLatch marker2 = new CountDownLatch(1);
            rt.loopExecutor().execute(marker2::countDown);
            assertTrue(marker2.await(10, TimeUnit.SECONDS));
            assertEquals(after, runs.get());
            assertEquals(Set.of("flotilla-n1-loop"), threads);
        } finally {
            rt.close();
        }
    }

    @Test
    void close_endsTheThreads() throws Exception {
        ThreadedRuntime rt = new ThreadedRuntime(NodeId.of("n9"));
        List<Thread> threads = new ArrayList<>();
        for (java.util.concurrent.Executor e : List.of(rt.loopExecutor(), rt.storageExecutor(), rt.applyExecutor())) {
            AtomicReference<Thread> t = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(1);
            e.execute(() -> {
                t.set(Thread.currentThread());
                done.countDown();
            });
            assertTrue(done.await(10, TimeUnit.SECONDS));
            threads.add(t.get());
        }
        rt.close();
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(t.isAlive(), "still alive: " + t.getName());
        }
    }
}
