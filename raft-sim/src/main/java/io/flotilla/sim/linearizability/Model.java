package io.flotilla.sim.linearizability;

import java.util.List;
import java.util.Optional;

/**
 * A sequential specification: the object a concurrent history is checked against.
 *
 * <p>States must be immutable values with meaningful {@code equals} and {@code hashCode}: the checker caches
 * the (set of linearized operations, state) pairs it has seen (Lowe's memoization).
 *
 * <p><b>Threading:</b> implementations must be stateless or immutable; the checker may call them from several
 * threads when it checks partitions in parallel.
 *
 * @param <S> the state type
 * @param <I> the operation input type
 * @param <O> the operation output type
 */
public interface Model<S, I, O> {

    /**
     * Returns the state before any operation.
     *
     * @return the initial state
     */
    S init();

    /**
     * Applies one operation to a state.
     *
     * @param state the state before the operation
     * @param input the operation's input
     * @param output the output the client saw, or {@code null} if unknown (any output is acceptable)
     * @return the state after the operation if it could have produced {@code output} from {@code state};
     *     empty if it could not
     */
    Optional<S> step(S state, I input, O output);

    /**
     * Splits a history into independent sub-histories that can be checked separately (P-compositionality,
     * Horn and Kroening): for a key-value store, one per key. The default keeps the history whole.
     *
     * @param history the operations to check (none failed)
     * @return the partitions; their union is {@code history}
     */
    default List<List<Operation<I, O>>> partition(List<Operation<I, O>> history) {
        return List.of(history);
    }

    /**
     * Returns the history without the {@link Operation.Status#UNKNOWN unknown} operations whose effect no other
     * operation observed. Used as a fast path only: if the result is linearizable, so is {@code history} (the
     * removed operations can take effect last). The default removes nothing.
     *
     * @param history one partition
     * @return a sub-history
     */
    default List<Operation<I, O>> withoutUnobservedUnknowns(List<Operation<I, O>> history) {
        return history;
    }

    /**
     * Describes a state for explanations.
     *
     * @param state a state
     * @return a short text
     */
    default String describe(S state) {
        return String.valueOf(state);
    }
}
