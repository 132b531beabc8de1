package io.flotilla.sim.linearizability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a history of concurrent operations is linearizable with respect to a {@link Model}.
 *
 * <h2>Algorithm</h2>
 * Wing and Gong's depth-first search over a doubly linked list of call and return events sorted by time, with
 * Lowe's memoization: a (set of linearized operations, model state) pair already explored is never explored
 * again. At a call event the operation is tried as the next linearization point ("lifted" out of the list); at
 * a return event whose call has not been linearized the search backtracks. Histories are first split with
 * {@link Model#partition} (P-compositionality) and each partition is searched on its own.
 *
 * <p>Operations with status {@link Operation.Status#UNKNOWN} return at +∞ with an unconstrained output, so they
 * may take effect at any point after their invocation, or (placed last) not at all. {@link Operation.Status#FAIL
 * Failed} operations are dropped. At equal times a call is ordered before a return, so operations that merely
 * touch are treated as concurrent.
 *
 * <p><b>Threading:</b> stateless and thread-safe. <b>Cost:</b> exponential in the worst case (the problem is
 * NP-complete); fast for register histories with unique written values. Each partition gets a budget of search
 * steps; one that exceeds it makes the verdict {@link CheckResult.Verdict#UNKNOWN}.
 */
public final class LinearizabilityChecker {

    /** Default search-step budget per partition. */
    public static final long DEFAULT_MAX_STEPS = 20_000_000L;

    private LinearizabilityChecker() {}

    /**
     * Checks a history with the default budget.
     *
     * @param model the sequential specification
     * @param history the operations, in any order
     * @param <S> state type
     * @param <I> input type
     * @param <O> output type
     * @return the verdict and, if not linearizable, an explanation
     */
    public static <S, I, O> CheckResult check(Model<S, I, O> model, List<Operation<I, O>> history) {
        return check(model, history, DEFAULT_MAX_STEPS);
    }

    /**
     * Checks a history.
     *
     * @param model the sequential specification
     * @param history the operations, in any order
     * @param maxStepsPerPartition the search budget of each partition
     * @param <S> state type
     * @param <I> input type
     * @param <O> output type
     * @return the verdict and, if not linearizable, an explanation
     */
    public static <S, I, O> CheckResult check(Model<S, I, O> model, List<Operation<I, O>> history,
            long maxStepsPerPartition) {
        Objects.requireNonNull(model, "model");
        List<Operation<I, O>> relevant = new ArrayList<>();
        for (Operation<I, O> op : history) {
            if (op.status() != Operation.Status.FAIL) {
                relevant.add(op);
            }
        }
        List<List<Operation<I, O>>> partitions = model.partition(relevant);
        int unknown = 0;
        StringBuilder unknownText = new StringBuilder();
        for (List<Operation<I, O>> partition : partitions) {
            // Fast path: without the unknown operations whose effect nobody observed. If that sub-history is
            // linearizable, so is the partition (those operations go last, where any output is fine).
            List<Operation<I, O>> reduced = model.withoutUnobservedUnknowns(partition);
            Search<S, I, O> search = new Search<>(model, reduced, maxStepsPerPartition);
            CheckResult.Verdict v = search.run();
            if (v != CheckResult.Verdict.LINEARIZABLE && reduced.size() != partition.size()) {
                Search<S, I, O> full = new Search<>(model, partition, maxStepsPerPartition);
                CheckResult.Verdict fv = full.run();
                if (fv != CheckResult.Verdict.UNKNOWN) {
                    search = full;
                    v = fv;
                } else if (v == CheckResult.Verdict.NOT_LINEARIZABLE) {
                    v = CheckResult.Verdict.UNKNOWN;
                    unknownText.append("without its ").append(partition.size() - reduced.size())
                            .append(" unobserved unknown operations the partition is not linearizable, and the full ")
                            .append("search ran out of budget:\n").append(search.explain());
                    unknown++;
                    continue;
                }
            }
            if (v == CheckResult.Verdict.NOT_LINEARIZABLE) {
                return new CheckResult(v, relevant.size(), partitions.size(), unknown, search.explain());
            }
            if (v == CheckResult.Verdict.UNKNOWN) {
                unknown++;
                unknownText.append("search budget of ").append(maxStepsPerPartition)
                        .append(" steps exhausted on a partition of ").append(partition.size())
                        .append(" operations\n");
            }
        }
        CheckResult.Verdict verdict = unknown == 0 ? CheckResult.Verdict.LINEARIZABLE : CheckResult.Verdict.UNKNOWN;
        return new CheckResult(verdict, relevant.size(), partitions.size(), unknown, unknownText.toString());
    }

    /** One call or return event in the search list. */
    private static final class Event<I, O> {
        final Operation<I, O> op;
        final int index;
        final boolean call;
        final long time;
        Event<I, O> match;
        Event<I, O> prev;
        Event<I, O> next;

        Event(Operation<I, O> op, int index, boolean call, long time) {
            this.op = op;
            this.index = index;
            this.call = call;
            this.time = time;
        }
    }

    /** A memoized (linearized set, state) pair. */
    private record CacheKey(long[] linearized, Object state) {
        @Override
        public boolean equals(Object o) {
            return o instanceof CacheKey k && Arrays.equals(linearized, k.linearized) && state.equals(k.state);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(linearized) * 31 + state.hashCode();
        }
    }

    private record Frame<S, I, O>(Event<I, O> call, S stateBefore) {}

    /** The search over one partition. Not thread-safe. */
    private static final class Search<S, I, O> {
        private final Model<S, I, O> model;
        private final List<Operation<I, O>> ops;
        private final long maxSteps;
        private final Event<I, O> head = new Event<>(null, -1, false, Long.MIN_VALUE);
        // Best partial linearization seen, for the explanation.
        private List<Frame<S, I, O>> bestPrefix = List.of();
        private S bestState;
        private Operation<I, O> stuckAt;

        Search(Model<S, I, O> model, List<Operation<I, O>> ops, long maxSteps) {
            this.model = model;
            this.ops = ops;
            this.maxSteps = maxSteps;
        }

        CheckResult.Verdict run() {
            List<Event<I, O>> events = new ArrayList<>(ops.size() * 2);
            for (int i = 0; i < ops.size(); i++) {
                Operation<I, O> op = ops.get(i);
                Event<I, O> call = new Event<>(op, i, true, op.invokeNanos());
                Event<I, O> ret = new Event<>(op, i, false, op.returnNanos());
                call.match = ret;
                events.add(call);
                events.add(ret);
            }
            events.sort(Comparator.<Event<I, O>>comparingLong(e -> e.time)
                    .thenComparing(e -> !e.call) // calls first at equal times
                    .thenComparingInt(e -> e.index));
            Event<I, O> prev = head;
            for (Event<I, O> e : events) {
                prev.next = e;
                e.prev = prev;
                prev = e;
            }
            long[] linearized = new long[(ops.size() + 63) / 64];
            Set<CacheKey> cache = new HashSet<>();
            List<Frame<S, I, O>> stack = new ArrayList<>();
            S state = model.init();
            bestState = state;
            Event<I, O> entry = head.next;
            long steps = 0;
            while (head.next != null) {
                if (++steps > maxSteps) {
                    return CheckResult.Verdict.UNKNOWN;
                }
                if (entry.call) {
                    Optional<S> next = model.step(state, entry.op.input(), entry.op.output());
                    if (next.isPresent()) {
                        linearized[entry.index >>> 6] |= 1L << entry.index;
                        if (cache.add(new CacheKey(linearized.clone(), next.get()))) {
                            stack.add(new Frame<>(entry, state));
                            state = next.get();
                            lift(entry);
                            entry = head.next;
                            continue;
                        }
                        linearized[entry.index >>> 6] &= ~(1L << entry.index);
                    }
                    entry = entry.next;
                } else {
                    if (stuckAt == null || stack.size() > bestPrefix.size()) {
                        bestPrefix = List.copyOf(stack);
                        bestState = state;
                        stuckAt = entry.op;
                    }
                    if (stack.isEmpty()) {
                        return CheckResult.Verdict.NOT_LINEARIZABLE;
                    }
                    Frame<S, I, O> top = stack.remove(stack.size() - 1);
                    state = top.stateBefore();
                    linearized[top.call().index >>> 6] &= ~(1L << top.call().index);
                    unlift(top.call());
                    entry = top.call().next;
                }
            }
            return CheckResult.Verdict.LINEARIZABLE;
        }

        private void lift(Event<I, O> call) {
            call.prev.next = call.next;
            call.next.prev = call.prev; // a call always has its return after it
            Event<I, O> ret = call.match;
            ret.prev.next = ret.next;
            if (ret.next != null) {
                ret.next.prev = ret.prev;
            }
        }

        private void unlift(Event<I, O> call) {
            Event<I, O> ret = call.match;
            ret.prev.next = ret;
            if (ret.next != null) {
                ret.next.prev = ret;
            }
            call.prev.next = call;
            call.next.prev = call;
        }

        String explain() {
            StringBuilder sb = new StringBuilder();
            sb.append("not linearizable: partition of ").append(ops.size()).append(" operations");
            if (!ops.isEmpty()) {
                sb.append(" (first: ").append(ops.get(0).input()).append(')');
            }
            sb.append('\n');
            sb.append("longest linearizable prefix (").append(bestPrefix.size()).append(" operations):\n");
            int from = Math.max(0, bestPrefix.size() - 15);
            if (from > 0) {
                sb.append("  ... ").append(from).append(" earlier operations\n");
            }
            for (int i = from; i < bestPrefix.size(); i++) {
                Frame<S, I, O> f = bestPrefix.get(i);
                S after = i + 1 < bestPrefix.size() ? bestPrefix.get(i + 1).stateBefore() : bestState;
                sb.append("  ").append(f.call().op).append("   state: ").append(model.describe(after)).append('\n');
            }
            if (stuckAt != null) {
                sb.append("then ").append(stuckAt).append(" returned, but from state ")
                        .append(model.describe(bestState))
                        .append(" no remaining operation invoked before that return can be placed next.\n");
                sb.append("operations concurrent with it and not in the prefix:\n");
                Set<Operation<I, O>> placed = new HashSet<>();
                for (Frame<S, I, O> f : bestPrefix) {
                    placed.add(f.call().op);
                }
                int shown = 0;
                for (Operation<I, O> op : ops) {
                    if (!placed.contains(op) && op.invokeNanos() <= stuckAt.returnNanos()
                            && op.returnNanos() >= stuckAt.invokeNanos()) {
                        if (shown++ == 20) {
                            sb.append("  ...\n");
                            break;
                        }
                        sb.append("  ").append(op).append('\n');
                    }
                }
            }
            return sb.toString();
        }
    }
}
