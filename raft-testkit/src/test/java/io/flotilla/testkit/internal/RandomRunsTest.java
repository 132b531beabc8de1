package io.flotilla.testkit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.NodeId;
import io.flotilla.spi.LogStore;
import io.flotilla.testkit.mem.MemStorage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The replay promise: the default seeds are a fixed window, and a printed seed reproduces the same operations. */
class RandomRunsTest {
    private static final List<String> PROPERTIES = List.of(RandomRuns.SEED_PROPERTY,
            RandomRuns.RANDOM_SEEDS_PROPERTY);
    private final Map<String, String> saved = new HashMap<>();

    @BeforeEach
    void saveProperties() {
        for (String p : PROPERTIES) {
            saved.put(p, System.getProperty(p));
            System.clearProperty(p);
        }
    }

    @AfterEach
    void restoreProperties() {
        saved.forEach((p, v) -> {
            if (v == null) {
                System.clearProperty(p);
            } else {
                System.setProperty(p, v);
            }
        });
    }

    @Test
    void repeat_withSeedProperty_runsExactlyThatSeedOnce() {
        System.setProperty(RandomRuns.SEED_PROPERTY, "-12345");
        List<Long> seeds = new ArrayList<>();
        int runs = RandomRuns.repeat("t", 50, Duration.ofSeconds(5), (run, seed) -> seeds.add(seed));
        assertEquals(1, runs);
        assertEquals(List.of(-12345L), seeds);
    }

    @Test
    void repeat_failure_namesTheSeedAndTheReplayCommand() {
        System.setProperty(RandomRuns.SEED_PROPERTY, "77");
        AssertionError e = assertThrows(AssertionError.class, () -> RandomRuns.repeat("SomeTest.method", 5,
                Duration.ofSeconds(1), (run, seed) -> {
                    throw new IllegalStateException("boom");
                }));
        assertTrue(e.getMessage().contains("seed 77") && e.getMessage().contains("-Dflotilla.testkit.seed=77")
                && e.getMessage().contains("-Dtest='SomeTest#method'") && e.getMessage().contains("boom"),
                e.getMessage());
    }

    @Test
    void repeat_byDefault_runsTheFixedSeedWindow() {
        List<Long> seeds = new ArrayList<>();
        assertEquals(7, RandomRuns.repeat("t", 7, Duration.ofMinutes(1), (run, seed) -> seeds.add(seed)));
        assertEquals(LongStream.range(RandomRuns.FIRST_SEED, RandomRuns.FIRST_SEED + 7).boxed().toList(), seeds);
    }

    @Test
    void repeat_withRandomSeeds_exploresFreshDistinctSeeds() {
        System.setProperty(RandomRuns.RANDOM_SEEDS_PROPERTY, "true");
        List<Long> seeds = new ArrayList<>();
        assertEquals(7, RandomRuns.repeat("t", 7, Duration.ofMinutes(1), (run, seed) -> seeds.add(seed)));
        assertEquals(7, seeds.stream().distinct().count(), "distinct seeds per run");
        assertNotEquals(LongStream.range(RandomRuns.FIRST_SEED, RandomRuns.FIRST_SEED + 7).boxed().toList(), seeds);
    }

    @Test
    void generate_sameSeed_sameOperations_otherSeed_otherOperations() {
        for (long seed = 1; seed <= 5; seed++) {
            assertEquals(LogStoreChecker.generate(seed, 80), LogStoreChecker.generate(seed, 80));
            assertEquals(SnapshotModelRun.generate(seed, 50), SnapshotModelRun.generate(seed, 50));
            assertEquals(StateStoreRun.generate(seed), StateStoreRun.generate(seed));
            assertEquals(80, LogStoreChecker.generate(seed, 80).size());
        }
        assertNotEquals(LogStoreChecker.generate(1, 80), LogStoreChecker.generate(2, 80));
        assertNotEquals(SnapshotModelRun.generate(1, 50), SnapshotModelRun.generate(2, 50));
        assertNotEquals(StateStoreRun.generate(1), StateStoreRun.generate(2));
    }

    /** A log whose truncation keeps one stale entry, so the checker fails deterministically for most seeds. */
    private static String failureOf(long seed) throws Exception {
        Map<Path, MemStorage> dirs = new HashMap<>();
        LogStoreChecker.Opener opener = dir -> {
            LogStore real = dirs.compute(dir, (k, v) -> v == null ? MemStorage.create(NodeId.of("n")) : v.reopen())
                    .log();
            return new LogStore() {
                @Override
                public long firstIndex() throws IOException {
                    return real.firstIndex();
                }

                @Override
                public long lastIndex() throws IOException {
                    return real.lastIndex();
                }

                @Override
                public long term(long index) throws IOException {
                    return real.term(index);
                }

                @Override
                public List<io.flotilla.LogEntry> entries(long from, long to, long max) throws IOException {
                    return real.entries(from, to, max);
                }

                @Override
                public void append(List<io.flotilla.LogEntry> entries) throws IOException {
                    real.append(entries);
                }

                @Override
                public void truncateSuffix(long fromIndex) throws IOException {
                    real.truncateSuffix(fromIndex <= real.lastIndex() ? fromIndex + 1 : fromIndex);
                }

                @Override
                public void compactPrefix(long throughIndex) throws IOException {
                    real.compactPrefix(throughIndex);
                }

                @Override
                public void close() throws IOException {
                    real.close();
                }
            };
        };
        try {
            new LogStoreChecker(opener, Path.of("replay"), LogStoreChecker.generate(seed, 200)).run();
            return "passed";
        } catch (OpsFailure e) {
            return e.getMessage();
        }
    }

    @Test
    void logStoreChecker_sameSeed_sameOperationsAndSameFailure() throws Exception {
        for (long seed = 1; seed <= 5; seed++) {
            String first = failureOf(seed);
            assertEquals(first, failureOf(seed), "seed " + seed + " did not replay identically");
            assertTrue(first.contains("truncateSuffix"), "seed " + seed + ": " + first);
        }
    }
}
