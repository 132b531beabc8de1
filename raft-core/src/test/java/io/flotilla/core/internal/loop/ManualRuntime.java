package io.flotilla.core.internal.loop;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.random.RandomGenerator;

/**
 * A deterministic {@link NodeRuntime} for unit tests: each executor queues its tasks until the test runs them,
 * ticks run when the test calls {@link #tick()}, and randomness is seeded. Single-threaded.
 */
final class ManualRuntime implements NodeRuntime {
    final ArrayDeque<Runnable> loop = new ArrayDeque<>();
    final ArrayDeque<Runnable> storage = new ArrayDeque<>();
    final ArrayDeque<Runnable> apply = new ArrayDeque<>();
    final ArrayDeque<Runnable> snapshot = new ArrayDeque<>();
    private final List<Runnable> timers = new ArrayList<>();
    private final SplittableRandom random;
    private long now;
    boolean closed;

    ManualRuntime(long seed) {
        random = new SplittableRandom(seed);
    }

    private Executor queue(ArrayDeque<Runnable> q) {
        return task -> {
            if (closed) {
                throw new RejectedExecutionException("closed");
            }
            q.add(task);
        };
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public Executor loopExecutor() {
        return queue(loop);
    }

    @Override
    public Executor storageExecutor() {
        return queue(storage);
    }

    @Override
    public Executor applyExecutor() {
        return queue(apply);
    }

    @Override
    public Executor snapshotExecutor() {
        return queue(snapshot);
    }

    @Override
    public AutoCloseable scheduleAtFixedRate(Runnable task, long periodNanos) {
        timers.add(task);
        return () -> timers.remove(task);
    }

    @Override
    public RandomGenerator random() {
        return random;
    }

    @Override
    public void close() {
        closed = true;
    }

    /** Fires every timer once (on the loop queue, as a real runtime would). */
    void tick() {
        now += 10_000_000L;
        for (Runnable t : List.copyOf(timers)) {
            loop.add(t);
        }
    }

    int timerCount() {
        return timers.size();
    }

    /** Runs queued tasks of one executor until it is empty. @return how many ran */
    static int runAll(ArrayDeque<Runnable> q) {
        int n = 0;
        Runnable r;
        while ((r = q.poll()) != null) {
            r.run();
            n++;
        }
        return n;
    }

    /** Runs every executor's tasks until all are empty. */
    void runUntilIdle() {
        while (runAll(loop) + runAll(storage) + runAll(apply) + runAll(snapshot) > 0) {
            // keep going
        }
    }
}
