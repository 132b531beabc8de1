package io.flotilla.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.LogEntry;
import io.flotilla.spi.LogStore;
import io.flotilla.spi.SnapshotStore;
import io.flotilla.testkit.internal.LogStoreChecker;
import io.flotilla.testkit.internal.OpsFailure;
import io.flotilla.testkit.internal.RandomRuns;
import io.flotilla.testkit.internal.Shrinker;
import io.flotilla.testkit.internal.SnapshotModelRun;
import io.flotilla.testkit.internal.StateStoreRun;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kit's own shrinker: a failing random operation list from a deliberately broken store shrinks to a short
 * list that still fails the same way, deterministically, and the failure message reports it.
 */
class ShrinkingTest {
    private String savedSeed;

    @BeforeEach
    void clearSeedProperty() {
        savedSeed = System.getProperty(RandomRuns.SEED_PROPERTY);
        System.clearProperty(RandomRuns.SEED_PROPERTY);
    }

    @AfterEach
    void restoreSeedProperty() {
        if (savedSeed != null) {
            System.setProperty(RandomRuns.SEED_PROPERTY, savedSeed);
        }
    }

    /**
     * Loses the last entry when the directory is reopened, but only once at least three appends reached it: a
     * bug that needs several operations in the right order.
     */
    static final class LosesLastEntryAfterThreeAppends {
        private final ContractTeethTest.Dirs dirs = new ContractTeethTest.Dirs();
        private final Map<Path, int[]> appends = new HashMap<>();

        LogStore open(Path dir) throws IOException {
            boolean reopening = dirs.known(dir);
            LogStore s = dirs.open(dir).log();
            int[] count = appends.computeIfAbsent(dir, k -> new int[1]);
            if (reopening && count[0] >= 3 && s.lastIndex() >= s.firstIndex()) {
                s.truncateSuffix(s.lastIndex());
            }
            return new Forwarding.Log(s) {
                @Override
                public void append(List<LogEntry> entries) throws IOException {
                    d.append(entries);
                    count[0]++;
                }
            };
        }
    }

    private static <T> Shrinker.Result<T> failAndShrink(List<T> ops, Shrinker.Execution<T> execution,
            Function<T, List<T>> simpler) {
        Throwable failure = null;
        try {
            execution.execute(ops, 0);
        } catch (Exception | AssertionError t) {
            failure = t;
        }
        assertNotNull(failure, "the broken store passed");
        return Shrinker.shrink(ops, failure, execution, simpler, RandomRuns.SHRINK_RERUNS,
                Duration.ofMillis(RandomRuns.SHRINK_MILLIS));
    }

    private static Shrinker.Execution<LogStoreChecker.Op> logRuns(String name) {
        LosesLastEntryAfterThreeAppends store = new LosesLastEntryAfterThreeAppends();
        return (ops, attempt) -> new LogStoreChecker(store::open, Path.of(name + "-" + attempt), ops).run();
    }

    private static <T> void assertStillFails(Shrinker.Result<T> r, Shrinker.Execution<T> fresh) {
        Throwable again = assertThrows(Throwable.class, () -> fresh.execute(r.shrunk(), 0),
                "the shrunk list passes: " + r.shrunk());
        assertEquals(Shrinker.kind(r.originalFailure()), Shrinker.kind(again), "fails another way: " + again);
    }

    @Test
    void logChecker_brokenStore_shrinksToTheFourEssentialOperations() {
        for (long seed = RandomRuns.FIRST_SEED; seed < RandomRuns.FIRST_SEED + 10; seed++) {
            List<LogStoreChecker.Op> ops = LogStoreChecker.generate(seed, 80);
            Shrinker.Result<LogStoreChecker.Op> r = failAndShrink(ops, logRuns("log-" + seed), LogStoreChecker::simpler);
            // three appends and a reopen are the least that fails
            assertTrue(r.shrunk().size() <= 5, "seed " + seed + " shrunk to " + r.shrunk());
            assertTrue(r.shrunk().stream().anyMatch(op -> op instanceof LogStoreChecker.Reopen), r.shrunk()::toString);
            assertTrue(r.reruns() <= RandomRuns.SHRINK_RERUNS);
            assertStillFails(r, logRuns("log-" + seed + "-again"));
            Shrinker.Result<LogStoreChecker.Op> same = failAndShrink(ops, logRuns("log-" + seed + "-same"),
                    LogStoreChecker::simpler);
            assertEquals(r.shrunk(), same.shrunk(), "seed " + seed + ": shrinking is deterministic");
        }
    }

    @Test
    void runAndShrink_reportsSeedLengthsOperationsAndReplay() {
        AssertionError e = assertThrows(AssertionError.class, () -> RandomRuns.repeat("SomeLogTest.randomOps", 5,
                Duration.ofSeconds(30), (run, seed) -> RandomRuns.runAndShrink(LogStoreChecker.generate(seed, 80),
                        logRuns("report-" + run), LogStoreChecker::simpler)));
        String m = e.getMessage();
        System.out.println("[shrink report]\n" + m);
        assertTrue(m.contains("failed with seed " + RandomRuns.FIRST_SEED), m);
        assertTrue(m.contains("-Dtest='SomeLogTest#randomOps' -Dflotilla.testkit.seed=" + RandomRuns.FIRST_SEED), m);
        assertTrue(m.contains("original: 80 operations"), m);
        assertTrue(m.matches("(?s).*shrunk: [1-5] operations.*"), m);
        assertTrue(m.contains("  1. append 1.."), m);
        assertTrue(m.contains(". close+reopen"), m);
        assertTrue(m.contains("Failure: "), m);
        assertTrue(e.getCause().getCause() instanceof OpsFailure, "the shrunk run's failure is the root cause");
    }

    @Test
    void runAndShrink_passingRun_throwsNothing() {
        ContractTeethTest.Dirs dirs = new ContractTeethTest.Dirs();
        RandomRuns.runAndShrink(LogStoreChecker.generate(1, 80), (ops, attempt) -> new LogStoreChecker(
                dir -> dirs.open(dir).log(), Path.of("ok-" + attempt), ops).run(), LogStoreChecker::simpler);
    }

    @Test
    void snapshotRun_missingMerge_shrinksToANewChainAndAMerge() {
        for (long seed = RandomRuns.FIRST_SEED; seed < RandomRuns.FIRST_SEED + 5; seed++) {
            long s = seed;
            Function<String, Shrinker.Execution<SnapshotModelRun.Op>> runs = name -> {
                SnapshotContractTeethTest.NoMerge suite = new SnapshotContractTeethTest.NoMerge();
                return (ops, attempt) -> new SnapshotModelRun((dir, reopen) -> reopen ? suite.reopenSnapshots(dir)
                        : Optional.<SnapshotStore>of(suite.openSnapshots(dir)), Path.of(name + "-" + attempt), ops).run();
            };
            Shrinker.Result<SnapshotModelRun.Op> r = failAndShrink(SnapshotModelRun.generate(s, 50),
                    runs.apply("snap-" + s), SnapshotModelRun::simpler);
            assertTrue(r.shrunk().size() <= 3, "seed " + s + " shrunk to " + r.shrunk());
            assertStillFails(r, runs.apply("snap-" + s + "-again"));
        }
    }

    @Test
    void stateRun_lostLastSave_shrinksToOneOrTwoOperations() {
        for (long seed = RandomRuns.FIRST_SEED; seed < RandomRuns.FIRST_SEED + 5; seed++) {
            long s = seed;
            Function<String, Shrinker.Execution<StateStoreRun.Op>> runs = name -> {
                ContractTeethTest.LosesLastSave suite = new ContractTeethTest.LosesLastSave();
                return (ops, attempt) -> new StateStoreRun(suite::openState, Path.of(name + "-" + attempt), ops).run();
            };
            Shrinker.Result<StateStoreRun.Op> r = failAndShrink(StateStoreRun.generate(s), runs.apply("state-" + s),
                    StateStoreRun::simpler);
            assertTrue(r.shrunk().size() <= 2, "seed " + s + " shrunk to " + r.shrunk());
            assertStillFails(r, runs.apply("state-" + s + "-again"));
        }
    }

    // ---------------------------------------------------------------- the shrinker on plain lists

    private static final List<Integer> HUNDRED = IntStream.range(0, 100).boxed().toList();

    @Test
    void shrink_findsTheTwoElementsThatTogetherFail() {
        Shrinker.Execution<Integer> needs3And8 = (ops, attempt) -> {
            if (ops.contains(3) && ops.contains(8)) {
                throw new AssertionError("3 and 8");
            }
        };
        Shrinker.Result<Integer> r = failAndShrink(HUNDRED, needs3And8, x -> List.of());
        assertEquals(List.of(3, 8), r.shrunk());
        assertFalse(r.exhausted());
    }

    @Test
    void shrink_keepsOnlyCandidatesThatFailWithTheSameClass() {
        Shrinker.Execution<Integer> run = (ops, attempt) -> {
            if (ops.contains(7) && ops.contains(50)) {
                throw new AssertionError("the bug");
            }
            throw new IllegalStateException("another failure");
        };
        Shrinker.Result<Integer> r = failAndShrink(HUNDRED, run, x -> List.of());
        assertEquals(List.of(7, 50), r.shrunk());
        assertTrue(r.failure() instanceof AssertionError);
    }

    @Test
    void shrink_triesSimplerOperations() {
        Shrinker.Execution<Integer> anyAboveTen = (ops, attempt) -> {
            if (ops.stream().anyMatch(x -> x > 10)) {
                throw new AssertionError("big");
            }
        };
        Shrinker.Result<Integer> r = failAndShrink(List.of(1, 95, 2), anyAboveTen, x -> x > 0 ? List.of(x / 2) : List.of());
        assertEquals(List.of(11), r.shrunk());
    }

    @Test
    void shrink_stopsAtTheRerunBudget() {
        Shrinker.Execution<Integer> needsAll = (ops, attempt) -> {
            if (ops.size() == 100) {
                throw new AssertionError("all hundred");
            }
        };
        Throwable failure = assertThrows(AssertionError.class, () -> needsAll.execute(HUNDRED, 0));
        Shrinker.Result<Integer> r = Shrinker.shrink(HUNDRED, failure, needsAll, x -> List.of(), 7,
                Duration.ofMinutes(1));
        assertEquals(7, r.reruns());
        assertTrue(r.exhausted());
        assertEquals(HUNDRED, r.shrunk());
        assertTrue(RandomRuns.report(r).contains("shrink budget used up"), RandomRuns.report(r));
    }
}
