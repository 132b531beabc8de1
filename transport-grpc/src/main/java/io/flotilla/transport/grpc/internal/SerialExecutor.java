package io.flotilla.transport.grpc.internal;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared pool: gives each peer stream a single logical
 * thread (gRPC's {@code ClientCall} is not thread-safe) without a dedicated OS thread. Thread-safe. A task that
 * throws is logged and does not stop later tasks.
 */
final class SerialExecutor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor delegate;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>(); // guarded by this
    private boolean running; // guarded by this

    SerialExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        try {
            delegate.execute(this::runAll);
        } catch (RejectedExecutionException e) {
            // The shared pool is shutting down: the transport is closed, nothing more will run.
            synchronized (this) {
                tasks.clear();
                running = false;
            }
        }
    }

    /**
     * Like {@link #execute}, but when no task is running or queued, runs the task (and whatever is queued behind
     * it meanwhile) on the calling thread instead of handing it to the pool: the same one-at-a-time order, one
     * thread hand-off fewer. For short, non-blocking tasks only.
     *
     * @param task the task
     */
    void executeInlineIfIdle(Runnable task) {
        synchronized (this) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        runAll();
    }

    private void runAll() {
        while (true) {
            Runnable next;
            synchronized (this) {
                next = tasks.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException | Error e) {
                LOG.error("unexpected failure in a gRPC transport task", e);
            }
        }
    }
}
