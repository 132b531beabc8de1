package io.flotilla.testkit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The replay promise: a printed seed reproduces the same operation sequence and the same failure. */
class RandomRunsTest {
    private String saved;

    @AfterEach
    void restoreProperty() {
        if (saved == null) {
            System.clearProperty(RandomRuns.SEED_PROPERTY);
        } else {
            System.setProperty(RandomRuns.SEED_PROPERTY, saved);
        }
    }

    @Test
    void repeat_withSeedProperty_runsExactlyThatSeedOnce() {
        saved = System.getProperty(RandomRuns.SEED_PROPERTY);
        System.setProperty(RandomRuns.SEED_PROPERTY, "-12345");
        List<Long> seeds = new ArrayList<>();
        int runs = RandomRuns.repeat("t", 50, Duration.ofSeconds(5), (run, seed) -> seeds.add(seed));
        assertEquals(1, runs);
        assertEquals(List.of(-12345L), seeds);
    }

    @Test
    void repeat_failure_namesTheSeedAndTheReplayFlag() {
        saved = System.getProperty(RandomRuns.SEED_PROPERTY);
        System.setProperty(RandomRuns.SEED_PROPERTY, "77");
        AssertionError e = assertThrows(AssertionError.class, () -> RandomRuns.repeat("t", 5, Duration.ofSeconds(1),
                (run, seed) -> {
                    throw new IllegalStateException("boom");
                }));
        assertTrue(e.getMessage().contains("seed 77") && e.getMessage().contains("-Dflotilla.testkit.seed=77"),
                e.getMessage());
    }

    @Test
    void repeat_withoutProperty_stopsAtTheRunCount() {
        saved = System.getProperty(RandomRuns.SEED_PROPERTY);
        System.clearProperty(RandomRuns.SEED_PROPERTY);
        List<Long> seeds = new ArrayList<>();
        assertEquals(7, RandomRuns.repeat("t", 7, Duration.ofMinutes(1), (run, seed) -> seeds.add(seed)));
        assertEquals(7, seeds.stream().distinct().count(), "distinct seeds per run");
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
            new LogStoreChecker(opener, Path.of("replay"), seed, 200).run();
            return "passed";
        } catch (AssertionError e) {
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
