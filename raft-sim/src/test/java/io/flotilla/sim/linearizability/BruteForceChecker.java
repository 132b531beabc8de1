package io.flotilla.sim.linearizability;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reference checker for tiny histories: tries every order of the operations that respects real time
 * ({@code a} precedes {@code b} when {@code a} returns strictly before {@code b} is invoked). Unknown operations
 * return at +∞. Exponential; use on at most ~8 operations.
 */
final class BruteForceChecker {
    private BruteForceChecker() {}

    static <S, I, O> boolean isLinearizable(Model<S, I, O> model, List<Operation<I, O>> history) {
        List<Operation<I, O>> ops = new ArrayList<>();
        for (Operation<I, O> op : history) {
            if (op.status() != Operation.Status.FAIL) {
                ops.add(op);
            }
        }
        for (List<Operation<I, O>> part : model.partition(ops)) {
            if (!search(model, part, new boolean[part.size()], 0, model.init())) {
                return false;
            }
        }
        return true;
    }

    private static <S, I, O> boolean search(Model<S, I, O> model, List<Operation<I, O>> ops, boolean[] used,
            int placed, S state) {
        if (placed == ops.size()) {
            return true;
        }
        for (int i = 0; i < ops.size(); i++) {
            if (used[i] || !minimal(ops, used, i)) {
                continue;
            }
            Operation<I, O> op = ops.get(i);
            Optional<S> next = model.step(state, op.input(), op.output());
            if (next.isPresent()) {
                used[i] = true;
                boolean ok = search(model, ops, used, placed + 1, next.get());
                used[i] = false;
                if (ok) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether no unplaced operation must come before {@code ops[i]}. */
    private static <I, O> boolean minimal(List<Operation<I, O>> ops, boolean[] used, int i) {
        for (int j = 0; j < ops.size(); j++) {
            if (j != i && !used[j] && ops.get(j).returnNanos() < ops.get(i).invokeNanos()) {
                return false;
            }
        }
        return true;
    }
}
