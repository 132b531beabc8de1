package io.flotilla.testkit.internal;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Seeds, bounds and shrinking for the kit's randomized operation-sequence tests: a small, dependency-free
 * stand-in for a property-based testing library.
 *
 * <h2>Seeds</h2>
 * <ul>
 *   <li>By default a test runs the fixed seed window {@value #FIRST_SEED}, {@value #FIRST_SEED} + 1, ... (one seed
 *       per run), so every build checks the same sequences and a red build is a regression, not luck. A time
 *       budget may end the window early on a slow store; the seeds run are still a prefix of the window.</li>
 *   <li>{@code -Dflotilla.testkit.seed=N} replays exactly one run with seed N (printed by every failure);</li>
 *   <li>{@code -Dflotilla.testkit.randomSeeds=true} explores fresh seeds instead of the window, printing each;</li>
 *   <li>{@code -Dflotilla.testkit.runs=N} sets how many runs to try (default given by the caller);</li>
 *   <li>{@code -Dflotilla.testkit.budgetMillis=N} bounds their total time (default given by the caller).</li>
 * </ul>
 *
 * <h2>Shrinking</h2>
 * {@link #runAndShrink} runs an operation list generated from the seed; if it fails, {@link Shrinker} looks for a
 * shorter list that fails the same way (at most {@value #SHRINK_RERUNS} re-runs on fresh stores, or
 * {@value #SHRINK_MILLIS} ms) and the failure reports both lengths and the shrunk list, one operation per line.
 * {@code -Dflotilla.testkit.shrink=false} reports the original list instead.
 */
public final class RandomRuns {
    /** System property that replays one seed. */
    public static final String SEED_PROPERTY = "flotilla.testkit.seed";
    /** System property that, when {@code true}, explores fresh seeds instead of the fixed window. */
    public static final String RANDOM_SEEDS_PROPERTY = "flotilla.testkit.randomSeeds";
    /** System property that, when {@code false}, turns shrinking off. */
    public static final String SHRINK_PROPERTY = "flotilla.testkit.shrink";
    /** The first seed of the default window; run {@code r} uses seed {@code FIRST_SEED + r}. */
    public static final long FIRST_SEED = 1000;
    /** The most candidate lists one shrink runs. */
    public static final int SHRINK_RERUNS = 200;
    /** The most time one shrink takes, in milliseconds. */
    public static final long SHRINK_MILLIS = 10_000;

    private RandomRuns() {}

    /** One randomized run: receives its seed; throws to fail. */
    @FunctionalInterface
    public interface Run {
        /**
         * Runs with a seed.
         *
         * @param run the run number, from 0
         * @param seed the seed
         * @throws Exception on failure
         */
        void run(int run, long seed) throws Exception;
    }

    /**
     * Runs {@code body} once per seed until the run count or the time budget is used up (at least one run).
     * A failure is rethrown as an {@link AssertionError} whose message holds the seed and the replay command.
     *
     * @param what names the test in messages, as {@code SimpleClassName.method}
     * @param defaultRuns runs when no property overrides it
     * @param defaultBudget time budget when no property overrides it
     * @param body the run
     * @return how many runs were made
     */
    public static int repeat(String what, int defaultRuns, Duration defaultBudget, Run body) {
        String fixed = System.getProperty(SEED_PROPERTY);
        if (fixed != null && !fixed.isBlank()) {
            long seed = Long.parseLong(fixed.trim());
            runOne(what, 0, seed, body);
            return 1;
        }
        int runs = Integer.getInteger("flotilla.testkit.runs", defaultRuns);
        long budgetNanos = Duration.ofMillis(
                Long.getLong("flotilla.testkit.budgetMillis", defaultBudget.toMillis())).toNanos();
        boolean explore = Boolean.getBoolean(RANDOM_SEEDS_PROPERTY);
        SplittableRandom fresh = explore ? new SplittableRandom() : null;
        long start = System.nanoTime();
        int done = 0;
        while (done < runs && (done == 0 || System.nanoTime() - start < budgetNanos)) {
            long seed;
            if (fresh != null) {
                seed = fresh.nextLong();
                System.out.println("[flotilla-testkit] " + what + ": run " + done + ", seed " + seed);
            } else {
                seed = FIRST_SEED + done;
            }
            runOne(what, done, seed, body);
            done++;
        }
        return done;
    }

    /**
     * Runs a generated operation list; if it fails, shrinks it and throws an {@link AssertionError} that reports
     * the original and shrunk lengths, the shrunk operations one per line, and how the shrunk list failed (its
     * cause). Meant to be called from the body of {@link #repeat}, which adds the seed and the replay command.
     *
     * @param ops the operations generated from the run's seed
     * @param execution runs a list against a fresh store (a new directory per attempt)
     * @param simpler simpler variants of one operation for the shrinker (may return an empty list)
     * @param <T> the operation type
     */
    public static <T> void runAndShrink(List<T> ops, Shrinker.Execution<T> execution, Function<T, List<T>> simpler) {
        Throwable failure;
        try {
            execution.execute(ops, 0);
            return;
        } catch (Exception | AssertionError t) {
            failure = t;
        }
        if (!Boolean.parseBoolean(System.getProperty(SHRINK_PROPERTY, "true"))) {
            throw new AssertionError(OpsFailure.operations(ops.size()) + ", not shrunk (-D" + SHRINK_PROPERTY + "=false)\n"
                    + failure.getMessage(), failure);
        }
        Shrinker.Result<T> r = Shrinker.shrink(ops, failure, execution, simpler, SHRINK_RERUNS,
                Duration.ofMillis(SHRINK_MILLIS));
        throw new AssertionError(report(r), r.failure());
    }

    /**
     * Formats a shrink result: the lengths, the shrunk operations that ran (one per line) and the failure.
     *
     * @param r the result
     * @return the report
     */
    public static String report(Shrinker.Result<?> r) {
        StringBuilder b = new StringBuilder();
        b.append("original: ").append(OpsFailure.operations(r.original().size()));
        if (r.originalFailure() instanceof OpsFailure f && f.failedAt() >= 0 && f.failedAt() < r.original().size()) {
            b.append(" (failed at operation ").append(f.failedAt() + 1).append(')');
        }
        b.append("; shrunk: ").append(OpsFailure.operations(r.shrunk().size())).append(", after ").append(r.reruns())
                .append(" re-runs on fresh stores in ").append(r.elapsed().toMillis()).append(" ms");
        if (r.exhausted()) {
            b.append(" (shrink budget used up: ").append(SHRINK_RERUNS).append(" re-runs or ").append(SHRINK_MILLIS)
                    .append(" ms; the list may shrink further)");
        }
        b.append("\nShrunk operations (with the values they resolved to; the last line failed):");
        b.append(r.failure() instanceof OpsFailure f ? OpsFailure.format(f.trace()) : OpsFailure.format(
                r.shrunk().stream().map(String::valueOf).toList()));
        Throwable cause = r.failure() instanceof OpsFailure && r.failure().getCause() != null
                ? r.failure().getCause() : r.failure();
        b.append("\nFailure: ").append(cause);
        return b.toString();
    }

    private static void runOne(String what, int run, long seed, Run body) {
        try {
            body.run(run, seed);
        } catch (Exception | AssertionError t) {
            int dot = what.lastIndexOf('.');
            String test = dot < 0 ? what : what.substring(0, dot) + "#" + what.substring(dot + 1);
            String msg = what + " failed with seed " + seed + " (run " + run + "); replay with -D" + SEED_PROPERTY
                    + "=" + seed + ", e.g.\n  ./mvnw test -Dtest='" + test + "' -D" + SEED_PROPERTY + "=" + seed
                    + "\n(in a multi-module build add -pl <module> -Dsurefire.failIfNoSpecifiedTests=false)\n"
                    + t.getMessage();
            System.err.println(msg);
            throw new AssertionError(msg, t);
        }
    }
}
