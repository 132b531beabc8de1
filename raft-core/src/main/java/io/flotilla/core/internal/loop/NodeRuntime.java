package io.flotilla.core.internal.loop;

import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;

/**
 * Everything a node takes from its environment: time, threads and randomness. Production uses real threads
 * and the system clock; the simulator supplies virtual time and runs every executor's tasks as events on one
 * thread, so a whole cluster is deterministic under one seed.
 *
 * <p>Each executor runs its tasks one at a time, in submission order (a serial executor).
 */
public interface NodeRuntime extends AutoCloseable {
    /** @return monotonic nanoseconds (virtual in simulation) */
    long nanoTime();

    /** @return runs the event loop's tasks; the only executor that touches protocol state */
    Executor loopExecutor();

    /** @return runs durable writes (log, hard state), in order; group commit happens here */
    Executor storageExecutor();

    /**
     * Whether writes to a {@link io.flotilla.spi.Capability#VOLATILE} store (memory, nothing to wait for) may run
     * on the loop thread instead of the storage executor, saving two thread hand-offs per batch. The simulator
     * answers false so that storage still completes at simulated times, interleaved with other events.
     *
     * @return true to write volatile stores inline; false by default
     */
    default boolean writesVolatileStorageInline() {
        return false;
    }

    /** @return runs state-machine calls, in order */
    Executor applyExecutor();

    /**
     * @return runs snapshot I/O in order, off the loop and the storage thread: writing snapshots the state machine
     *     prepared, merging delta chains, reading chunks to send and writing chunks received (§7)
     */
    Executor snapshotExecutor();

    /**
     * Runs {@code task} on the loop executor every {@code periodNanos} until the returned handle is closed.
     *
     * @param task the task, typically one protocol tick
     * @param periodNanos the period
     * @return a handle that cancels the timer when closed
     */
    AutoCloseable scheduleAtFixedRate(Runnable task, long periodNanos);

    /** @return the node's source of randomness */
    RandomGenerator random();

    /** Stops the runtime's threads (after the node has drained them). */
    @Override
    void close();
}
