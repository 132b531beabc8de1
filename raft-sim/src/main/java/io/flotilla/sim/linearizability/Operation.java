package io.flotilla.sim.linearizability;

import java.util.Objects;

/**
 * One client operation of a recorded history: what was asked, what came back and when.
 *
 * <p>Times are in one clock shared by all clients (virtual nanoseconds in the simulator). An operation whose
 * outcome is not known ({@link Status#UNKNOWN}: a timeout, or {@link io.flotilla.IndeterminateStateException})
 * is treated as returning at +∞ with an unconstrained output: it may or may not have taken effect. A
 * {@link Status#FAIL failed} operation definitely had no effect and is ignored by the checker.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id a number unique within the history, used in explanations
 * @param client the client that issued the operation (clients issue one operation at a time)
 * @param input what was asked
 * @param output what came back; {@code null} unless {@code status} is {@link Status#OK}
 * @param invokeNanos when the client issued it
 * @param returnNanos when the client saw the answer; ignored unless {@code status} is {@link Status#OK}
 * @param status the outcome
 * @param <I> the model's input type
 * @param <O> the model's output type
 */
public record Operation<I, O>(int id, int client, I input, O output, long invokeNanos, long returnNanos,
        Status status) {

    /** The outcome of an operation as the client saw it. */
    public enum Status {
        /** Completed with {@code output}. */
        OK,
        /** Definitely not applied (e.g. rejected by a non-leader); excluded from checking. */
        FAIL,
        /** May or may not have been applied: returns at +∞, output unconstrained. */
        UNKNOWN
    }

    /**
     * Validates the operation.
     *
     * @param id the id
     * @param client the client
     * @param input the input
     * @param output the output (required when OK)
     * @param invokeNanos the invocation time
     * @param returnNanos the return time (at least the invocation time when OK)
     * @param status the outcome
     * @throws IllegalArgumentException if an OK operation returns before it is invoked
     * @throws NullPointerException if the input, the status, or the output of an OK operation is null
     */
    public Operation {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(status, "status");
        if (status == Status.OK) {
            Objects.requireNonNull(output, "output of an OK operation");
            if (returnNanos < invokeNanos) {
                throw new IllegalArgumentException(
                        "operation " + id + " returns at " + returnNanos + " before its invocation at " + invokeNanos);
            }
        } else {
            output = null;
            returnNanos = Long.MAX_VALUE;
        }
    }

    /**
     * Returns a completed operation.
     *
     * @param id the id
     * @param client the client
     * @param input the input
     * @param output the output
     * @param invokeNanos invocation time
     * @param returnNanos return time
     * @param <I> input type
     * @param <O> output type
     * @return the operation
     */
    public static <I, O> Operation<I, O> ok(int id, int client, I input, O output, long invokeNanos,
            long returnNanos) {
        return new Operation<>(id, client, input, output, invokeNanos, returnNanos, Status.OK);
    }

    /**
     * Returns an operation whose outcome is unknown.
     *
     * @param id the id
     * @param client the client
     * @param input the input
     * @param invokeNanos invocation time
     * @param <I> input type
     * @param <O> output type
     * @return the operation
     */
    public static <I, O> Operation<I, O> unknown(int id, int client, I input, long invokeNanos) {
        return new Operation<>(id, client, input, null, invokeNanos, Long.MAX_VALUE, Status.UNKNOWN);
    }

    /**
     * Returns an operation that definitely had no effect.
     *
     * @param id the id
     * @param client the client
     * @param input the input
     * @param invokeNanos invocation time
     * @param <I> input type
     * @param <O> output type
     * @return the operation
     */
    public static <I, O> Operation<I, O> failed(int id, int client, I input, long invokeNanos) {
        return new Operation<>(id, client, input, null, invokeNanos, Long.MAX_VALUE, Status.FAIL);
    }

    /** @return whether the output is known */
    public boolean isOk() {
        return status == Status.OK;
    }

    @Override
    public String toString() {
        String ret = status == Status.OK ? Long.toString(returnNanos) : "∞";
        return "#" + id + " c" + client + " " + input + " -> " + (status == Status.OK ? output : status)
                + " [" + invokeNanos + ", " + ret + "]";
    }
}
