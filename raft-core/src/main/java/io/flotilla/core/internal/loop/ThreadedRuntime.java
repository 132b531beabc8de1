package io.flotilla.core.internal.loop;

import io.flotilla.NodeId;
import java.security.SecureRandom;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * The production {@link NodeRuntime}: four daemon threads per node, {@code flotilla-<node>-loop},
 * {@code flotilla-<node>-storage}, {@code flotilla-<node>-apply} and {@code flotilla-<node>-snapshot}, the system's monotonic clock, and a
 * {@link SplittableRandom} seeded once from {@link SecureRandom}. Ticks are scheduled on the loop thread itself,
 * so no extra timer thread exists. No thread is ever created per message or per request.
 *
 * <p><b>Threading:</b> thread-safe. {@link #close()} shuts the four threads down after their queued tasks and
 * waits for them (briefly, and never when called from one of them, which would wait on itself).
 */
public final class ThreadedRuntime implements NodeRuntime {
    private static final long CLOSE_WAIT_MILLIS = 5_000;

    private final ScheduledThreadPoolExecutor loop;
    private final ExecutorService storage;
    private final ExecutorService apply;
    private final ExecutorService snapshot;
    private final RandomGenerator random = new SplittableRandom(new SecureRandom().nextLong());
    private final List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Creates the runtime; its threads start lazily with their first task.
     *
     * @param node names the threads
     */
    public ThreadedRuntime(NodeId node) {
        loop = new ScheduledThreadPoolExecutor(1, factory("flotilla-" + node + "-loop"));
        loop.setRemoveOnCancelPolicy(true);
        loop.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        loop.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        storage = Executors.newSingleThreadExecutor(factory("flotilla-" + node + "-storage"));
        apply = Executors.newSingleThreadExecutor(factory("flotilla-" + node + "-apply"));
        snapshot = Executors.newSingleThreadExecutor(factory("flotilla-" + node + "-snapshot"));
    }

    private ThreadFactory factory(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            threads.add(t);
            return t;
        };
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Executor loopExecutor() {
        return loop;
    }

    @Override
    public Executor storageExecutor() {
        return storage;
    }

    @Override
    public boolean writesVolatileStorageInline() {
        return true;
    }

    @Override
    public Executor applyExecutor() {
        return apply;
    }

    @Override
    public Executor snapshotExecutor() {
        return snapshot;
    }

    @Override
    public AutoCloseable scheduleAtFixedRate(Runnable task, long periodNanos) {
        ScheduledFuture<?> f = loop.scheduleAtFixedRate(task, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public RandomGenerator random() {
        return random;
    }

    @Override
    public void close() {
        loop.shutdown();
        storage.shutdown();
        apply.shutdown();
        snapshot.shutdown();
        if (threads.contains(Thread.currentThread())) {
            return; // closing from a callback on our own thread: cannot wait for ourselves
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
        try {
            for (ExecutorService e : List.of(loop, storage, apply, snapshot)) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !e.awaitTermination(left, TimeUnit.NANOSECONDS)) {
                    e.shutdownNow();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            loop.shutdownNow();
            storage.shutdownNow();
            apply.shutdownNow();
            snapshot.shutdownNow();
        }
    }
}
