package io.flotilla.testkit.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Shrinks a failing operation list (delta debugging, greedy): first drops the operations after the failing one,
 * then tries removing chunks of half, a quarter, ... of the list down to single operations, then simpler
 * variants of single operations, and repeats while that helps. Every candidate runs against a fresh store; it is
 * kept only if it fails the same way, which here means with the same exception class as the original failure
 * (the cause's class for an {@link OpsFailure}). Bounded by a number of re-runs and a time budget, so a slow
 * store cannot stall the build; the result is then the smallest list found so far. Single-threaded.
 *
 * @param <T> the operation type
 */
public final class Shrinker<T> {
    /** Runs one operation list against a fresh store. */
    @FunctionalInterface
    public interface Execution<T> {
        /**
         * Runs the operations against a store that no earlier attempt has used.
         *
         * @param ops the operations
         * @param attempt 0 for the original run, then 1, 2, ... for each candidate
         * @throws Exception if the run fails
         */
        void execute(List<T> ops, int attempt) throws Exception;
    }

    /**
     * What shrinking found.
     *
     * @param original the failing list
     * @param originalFailure how it failed
     * @param shrunk the smallest list found that fails the same way
     * @param failure how the shrunk list failed (its last failing run)
     * @param reruns how many candidates were run
     * @param elapsed how long shrinking took
     * @param exhausted whether the budget ran out before no candidate helped any more
     * @param <T> the operation type
     */
    public record Result<T>(List<T> original, Throwable originalFailure, List<T> shrunk, Throwable failure,
            int reruns, Duration elapsed, boolean exhausted) {}

    private final Execution<T> execution;
    private final Function<T, List<T>> simpler;
    private final int maxReruns;
    private final long deadline;
    private final long start = System.nanoTime();
    private final Class<?> kind;
    private int reruns;
    private List<T> current;
    private Throwable failure;

    private Shrinker(Execution<T> execution, Function<T, List<T>> simpler, int maxReruns, Duration maxTime,
            List<T> ops, Throwable failure) {
        this.execution = execution;
        this.simpler = simpler;
        this.maxReruns = maxReruns;
        this.deadline = start + maxTime.toNanos();
        this.kind = kind(failure);
        this.current = List.copyOf(ops);
        this.failure = failure;
    }

    /**
     * Shrinks a failing list.
     *
     * @param ops the list that failed
     * @param failure how it failed
     * @param execution runs a candidate against a fresh store
     * @param simpler simpler variants of one operation (may be empty), tried in order
     * @param maxReruns the most candidates to run
     * @param maxTime the most time to spend
     * @param <T> the operation type
     * @return the result
     */
    public static <T> Result<T> shrink(List<T> ops, Throwable failure, Execution<T> execution,
            Function<T, List<T>> simpler, int maxReruns, Duration maxTime) {
        Shrinker<T> s = new Shrinker<>(execution, simpler, maxReruns, maxTime, ops, failure);
        s.cutAfterFailure();
        boolean progress = true;
        while (progress && s.budgetLeft()) {
            progress = s.removeChunks();
            progress |= s.simplifyEach();
        }
        return new Result<>(List.copyOf(ops), failure, s.current, s.failure, s.reruns,
                Duration.ofNanos(System.nanoTime() - s.start), !s.budgetLeft());
    }

    /**
     * Returns the class that identifies how a run failed: the cause's for an {@link OpsFailure}, else its own.
     *
     * @param t a failure
     * @return its class
     */
    public static Class<?> kind(Throwable t) {
        return t instanceof OpsFailure && t.getCause() != null ? t.getCause().getClass() : t.getClass();
    }

    private boolean budgetLeft() {
        return reruns < maxReruns && System.nanoTime() < deadline;
    }

    // The operations after the failing one never ran. Dropping them is safe for a deterministic store; the
    // next candidate that fails confirms it, and the caller re-runs the result once more anyway.
    private void cutAfterFailure() {
        if (failure instanceof OpsFailure f && f.failedAt() >= 0 && f.failedAt() < current.size() - 1) {
            current = List.copyOf(current.subList(0, f.failedAt() + 1));
        }
    }

    private boolean attempt(List<T> candidate) {
        if (!budgetLeft()) {
            return false;
        }
        reruns++;
        try {
            execution.execute(candidate, reruns);
            return false;
        } catch (Exception | AssertionError t) {
            if (kind(t) != kind) {
                return false;
            }
            current = List.copyOf(candidate);
            failure = t;
            cutAfterFailure();
            return true;
        }
    }

    private boolean removeChunks() {
        boolean any = false;
        for (int chunk = Math.max(1, current.size() / 2); chunk >= 1 && budgetLeft(); chunk /= 2) {
            int i = 0;
            while (i < current.size() && budgetLeft()) {
                List<T> candidate = new ArrayList<>(current.subList(0, i));
                candidate.addAll(current.subList(Math.min(current.size(), i + chunk), current.size()));
                if (attempt(candidate)) {
                    any = true; // the next chunk now starts at i
                } else {
                    i += chunk;
                }
            }
        }
        return any;
    }

    private boolean simplifyEach() {
        boolean any = false;
        for (int i = 0; i < current.size() && budgetLeft(); i++) {
            for (T variant : simpler.apply(current.get(i))) {
                List<T> candidate = new ArrayList<>(current);
                candidate.set(i, variant);
                if (attempt(candidate)) {
                    any = true;
                    break;
                }
                if (i >= current.size() || !budgetLeft()) {
                    break;
                }
            }
        }
        return any;
    }
}
