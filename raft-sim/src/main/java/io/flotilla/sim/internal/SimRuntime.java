package io.flotilla.sim.internal;

import io.flotilla.NodeId;
import io.flotilla.core.internal.loop.NodeRuntime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * {@link NodeRuntime} on virtual time: each of the node's serial executors turns its tasks into events of the
 * shared {@link EventQueue}, one at a time and in submission order, each taking a simulated latency (storage
 * tasks take an fsync latency). Timers tick at a per-node clock rate, so clock-rate skew is simulated.
 *
 * <p>Process faults: {@link #pause()} holds every task (a stopped process) until {@link #resume()};
 * {@link #crash()} drops every pending task — writes whose storage task had not run are lost — and makes the
 * runtime drop everything submitted later, so the node object is dead and can be discarded.
 *
 * <p><b>Threading:</b> confined to the simulation thread.
 */
public final class SimRuntime implements NodeRuntime {

    /** Receives exceptions thrown by node tasks (a simulated uncaught exception is a finding). */
    public interface Failures {
        /**
         * Reports an exception escaping a task.
         *
         * @param node the node
         * @param where which executor
         * @param error the exception
         */
        void uncaught(NodeId node, String where, Throwable error);
    }

    private final EventQueue queue;
    private final NodeId node;
    private final RandomGenerator random;
    private final double clockRate;
    private final long clockOffset;
    private final Failures failures;
    private final SerialExecutor loop;
    private final SerialExecutor storage;
    private final SerialExecutor apply;
    private final SerialExecutor snapshot;
    private final List<Timer> timers = new ArrayList<>();
    private boolean paused;
    private boolean dead;

    /**
     * Creates the runtime of one node incarnation.
     *
     * @param queue the shared event queue
     * @param node the node
     * @param random the node's random source (split from the run's seed)
     * @param clockRate how fast the node's clock runs relative to virtual time (1.0 = exact; 1.05 = 5% fast)
     * @param fsyncMinNanos minimum latency of a storage task
     * @param fsyncMaxNanos maximum latency of a storage task
     * @param failures receives exceptions thrown by tasks
     */
    public SimRuntime(EventQueue queue, NodeId node, RandomGenerator random, double clockRate, long fsyncMinNanos,
            long fsyncMaxNanos, Failures failures) {
        this.queue = queue;
        this.node = node;
        this.random = random;
        this.clockRate = clockRate;
        this.clockOffset = random.nextLong(1L << 40); // nodes' monotonic clocks have unrelated origins
        this.failures = failures;
        RandomGenerator latency = random;
        this.loop = new SerialExecutor("loop", () -> 1_000 + latency.nextLong(4_000));
        this.storage = new SerialExecutor("storage", () -> fsyncMinNanos
                + (fsyncMaxNanos > fsyncMinNanos ? latency.nextLong(fsyncMaxNanos - fsyncMinNanos) : 0));
        this.apply = new SerialExecutor("apply", () -> 5_000 + latency.nextLong(20_000));
        this.snapshot = new SerialExecutor("snapshot", () -> 10_000 + latency.nextLong(200_000));
    }

    /** @return the node */
    public NodeId node() {
        return node;
    }

    @Override
    public long nanoTime() {
        return clockOffset + (long) (queue.now() * clockRate);
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
    public Executor applyExecutor() {
        return apply;
    }

    @Override
    public Executor snapshotExecutor() {
        return snapshot;
    }

    @Override
    public AutoCloseable scheduleAtFixedRate(Runnable task, long periodNanos) {
        if (periodNanos <= 0) {
            throw new IllegalArgumentException("period must be positive, got " + periodNanos);
        }
        Timer t = new Timer(task, Math.max(1, (long) (periodNanos / clockRate)));
        timers.add(t);
        queue.schedule(t.period, t::fire);
        return t;
    }

    @Override
    public RandomGenerator random() {
        return random;
    }

    /** Holds every task until {@link #resume()}; timers skip their ticks meanwhile (one is delivered on resume). */
    public void pause() {
        paused = true;
    }

    /** Releases tasks held by {@link #pause()}. */
    public void resume() {
        if (!paused) {
            return;
        }
        paused = false;
        loop.kick();
        storage.kick();
        apply.kick();
        snapshot.kick();
    }

    /** @return whether the node is paused */
    public boolean isPaused() {
        return paused;
    }

    /** Kills the incarnation: pending tasks are dropped, timers stop, later submissions are ignored. */
    public void crash() {
        dead = true;
        loop.tasks.clear();
        storage.tasks.clear();
        apply.tasks.clear();
        snapshot.tasks.clear();
        timers.clear();
    }

    /** @return whether {@link #crash()} or {@link #close()} ran */
    public boolean isDead() {
        return dead;
    }

    /** @return tasks waiting in the node's executors */
    public int pendingTasks() {
        return loop.tasks.size() + storage.tasks.size() + apply.tasks.size() + snapshot.tasks.size();
    }

    @Override
    public void close() {
        crash();
    }

    /** A serial executor whose tasks are events. */
    private final class SerialExecutor implements Executor {
        private final String name;
        private final LongSupplier latency;
        private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        private boolean scheduled;

        SerialExecutor(String name, LongSupplier latency) {
            this.name = name;
            this.latency = latency;
        }

        @Override
        public void execute(Runnable task) {
            if (dead) {
                return;
            }
            tasks.add(task);
            kick();
        }

        void kick() {
            if (!scheduled && !paused && !dead && !tasks.isEmpty()) {
                scheduled = true;
                queue.schedule(latency.getAsLong(), this::runOne);
            }
        }

        private void runOne() {
            scheduled = false;
            if (dead || paused) {
                return;
            }
            Runnable task = tasks.poll();
            if (task == null) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                failures.uncaught(node, name, e);
            }
            kick();
        }
    }

    /** A fixed-rate timer; a tick is submitted to the loop only if the previous one has run (no pile-up). */
    private final class Timer implements AutoCloseable {
        private final Runnable task;
        private final long period;
        private boolean cancelled;
        private boolean tickPending;

        Timer(Runnable task, long period) {
            this.task = task;
            this.period = period;
        }

        void fire() {
            if (cancelled || dead) {
                return;
            }
            if (!tickPending) {
                tickPending = true;
                loop.execute(() -> {
                    tickPending = false;
                    if (!cancelled) {
                        task.run();
                    }
                });
            }
            queue.schedule(period, this::fire);
        }

        @Override
        public void close() {
            cancelled = true;
            timers.remove(this);
        }
    }
}
