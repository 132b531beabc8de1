package io.flotilla.testkit.internal;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Seeds and bounds for the kit's randomized operation-sequence tests.
 *
 * <ul>
 *   <li>{@code -Dflotilla.testkit.seed=N} replays exactly one run with seed N (printed by every failure);</li>
 *   <li>{@code -Dflotilla.testkit.runs=N} sets how many runs to try (default given by the caller);</li>
 *   <li>{@code -Dflotilla.testkit.budgetMillis=N} bounds their total time (default given by the caller).</li>
 * </ul>
 */
public final class RandomRuns {
    /** System property that replays one seed. */
    public static final String SEED_PROPERTY = "flotilla.testkit.seed";

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
     * A failure is rethrown as an {@link AssertionError} whose message holds the seed and the replay flag.
     *
     * @param what names the test in messages
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
        SplittableRandom seeds = new SplittableRandom();
        long start = System.nanoTime();
        int done = 0;
        while (done < runs && (done == 0 || System.nanoTime() - start < budgetNanos)) {
            runOne(what, done, seeds.nextLong(), body);
            done++;
        }
        return done;
    }

    private static void runOne(String what, int run, long seed, Run body) {
        try {
            body.run(run, seed);
        } catch (Throwable t) {
            String msg = what + " failed with seed " + seed + " (run " + run + "); replay with -D"
                    + SEED_PROPERTY + "=" + seed + "\n" + t.getMessage();
            System.err.println(msg);
            AssertionError e = new AssertionError(msg, t);
            throw e;
        }
    }
}
