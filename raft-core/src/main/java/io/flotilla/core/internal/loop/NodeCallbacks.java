package io.flotilla.core.internal.loop;

/**
 * How the storage and apply pipelines report back to the node's event loop. Implemented by
 * {@link EventLoopRaftNode}; every method only enqueues work for the loop (or, for failures, also flips the
 * node's state at once) and returns without blocking.
 *
 * <p><b>Threading:</b> called from the storage and apply threads.
 */
public interface NodeCallbacks {
    /**
     * The log up to {@code index} (whose entry has {@code term}) is durable.
     *
     * @param index last durable index
     * @param term term of that entry
     */
    void persisted(long index, long term);

    /**
     * The state machine has applied everything up to {@code index}.
     *
     * @param index the new applied index
     */
    void applied(long index);

    /**
     * A store or the state machine failed: the node must move to FAILED at once (never retried).
     *
     * @param what what was being done, for the failure message
     * @param cause the failure
     */
    void failed(String what, Throwable cause);
}
