package io.flotilla.bench.driver;

/**
 * One replicated group under load: a Raft implementation with its transport and storage, already started and with
 * a leader, that accepts commands for the closed-loop clients of {@link ClosedLoop}.
 *
 * <p>Threading: {@link #propose} is called from any thread, concurrently; the {@link Completion} may run on any
 * thread, exactly once per call. Blocking: {@link #propose} should not block (a system whose API blocks may block
 * for back-pressure, as its users would see). Failure: a failed proposal is reported through the completion, never
 * thrown.
 */
public interface BenchCluster extends AutoCloseable {
    /** Callback for one proposal. */
    @FunctionalInterface
    interface Completion {
        /**
         * Called once when the command is committed and applied on the leader, or has failed.
         *
         * @param failure {@code null} on success
         */
        void done(Throwable failure);
    }

    /**
     * Describes the system, its version and its transport and storage, for the report.
     *
     * @return one line
     */
    String describe();

    /**
     * Proposes one command to the current leader.
     *
     * @param command the command bytes; the callee may keep the array (the driver never changes it)
     * @param completion called when the command is applied on the leader, or failed
     */
    void propose(byte[] command, Completion completion);

    /**
     * Returns how many commands the leader's state machine has applied, to check that the run really committed.
     *
     * @return the applied command count on the leader
     */
    long appliedOnLeader();

    /** Stops every node and deletes the cluster's data. */
    @Override
    void close() throws Exception;
}
