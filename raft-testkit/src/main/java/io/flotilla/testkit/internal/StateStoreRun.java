package io.flotilla.testkit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flotilla.HardState;
import io.flotilla.NodeId;
import io.flotilla.spi.StateStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One list of hard-state saves and reopens checked against the last save: after each reopen, and before and
 * after a final reopen, {@code load()} must return the last state saved. Generated from a seed first
 * ({@link #generate}) and executed after, so that a failing list can be shrunk ({@link Shrinker}). Saves hold a
 * term step rather than a term, so every sub-list keeps terms non-decreasing. Single-threaded.
 */
public final class StateStoreRun {
    /** Opens (or reopens) the store kept in a directory. */
    @FunctionalInterface
    public interface Opener {
        /**
         * Opens the store.
         *
         * @param dir the directory
         * @return the store
         * @throws IOException if opening fails
         */
        StateStore open(Path dir) throws IOException;
    }

    /** One operation. */
    public sealed interface Op permits Save, Reopen {}

    /**
     * Saves the term raised by {@code termStep}, with a vote for node {@code vote} or none if it is negative.
     *
     * @param termStep how much the term goes up
     * @param vote the node voted for, or negative for none
     */
    public record Save(int termStep, int vote) implements Op {}

    /** Closes the store, opens the directory again and checks that {@code load()} returns the last save. */
    public record Reopen() implements Op {}

    private final Opener opener;
    private final Path dir;
    private final List<Op> ops;

    /**
     * Creates the run.
     *
     * @param opener opens the store
     * @param dir an empty directory for this run
     * @param ops the operations, e.g. from {@link #generate}
     */
    public StateStoreRun(Opener opener, Path dir, List<Op> ops) {
        this.opener = opener;
        this.dir = dir;
        this.ops = List.copyOf(ops);
    }

    /**
     * Generates 50 to 199 saves with a reopen after about one in 25; the same seed always gives the same list.
     *
     * @param seed the seed
     * @return the operations
     */
    public static List<Op> generate(long seed) {
        SplittableRandom g = new SplittableRandom(seed);
        int saves = 50 + g.nextInt(150);
        List<Op> out = new ArrayList<>();
        for (int i = 0; i < saves; i++) {
            int step = g.nextInt(3);
            out.add(new Save(step, g.nextBoolean() ? -1 : g.nextInt(9)));
            if (g.nextInt(25) == 0) {
                out.add(new Reopen());
            }
        }
        return out;
    }

    /**
     * Returns simpler variants of an operation for the shrinker: a save without a vote, or with a smaller term step.
     *
     * @param op an operation
     * @return its simpler variants; empty if none
     */
    public static List<Op> simpler(Op op) {
        List<Op> out = new ArrayList<>();
        if (op instanceof Save s) {
            if (s.vote() >= 0) {
                out.add(new Save(s.termStep(), -1));
            }
            if (s.termStep() > 1) {
                out.add(new Save(1, s.vote()));
            }
        }
        return out;
    }

    /**
     * Runs the operations, then checks {@code load()} before and after a final reopen; closes the store.
     *
     * @throws OpsFailure with the operations that ran, if a load did not return the last save
     * @throws IOException if closing fails
     */
    public void run() throws IOException {
        List<String> trace = new ArrayList<>();
        StateStore s;
        try {
            s = opener.open(dir);
        } catch (Exception | AssertionError t) {
            throw new OpsFailure(OpsFailure.AT_OPEN, trace, t);
        }
        HardState last = HardState.INITIAL;
        long term = 0;
        int i = 0;
        try {
            for (; i < ops.size(); i++) {
                Op op = ops.get(i);
                if (op instanceof Save save) {
                    term += save.termStep();
                    last = save.vote() < 0 ? HardState.of(term) : HardState.of(term, NodeId.of("n" + save.vote()));
                    trace.add("save term " + term + (save.vote() < 0 ? ", no vote" : ", vote for n" + save.vote()));
                    s.save(last);
                } else {
                    trace.add("close+reopen, load");
                    s.close();
                    s = opener.open(dir);
                    assertEquals(last, s.load(), "after a reopen, the last save");
                }
            }
            trace.add(OpsFailure.END + "load, close+reopen, load");
            assertEquals(last, s.load(), "before the final reopen, the last save");
            s.close();
            s = opener.open(dir);
            assertEquals(last, s.load(), "after the final reopen, the last save");
        } catch (Exception | AssertionError t) {
            try {
                s.close();
            } catch (Exception | AssertionError ignored) {
                // the run already failed
            }
            throw new OpsFailure(i, trace, t);
        }
        s.close();
    }
}
