package io.flotilla.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.Bytes;
import io.flotilla.LogEntry;
import io.flotilla.spi.Capability;
import io.flotilla.spi.LogCompactedException;
import io.flotilla.spi.LogStore;
import io.flotilla.testkit.internal.ConcurrentReadCheck;
import io.flotilla.testkit.internal.LogStoreChecker;
import io.flotilla.testkit.internal.RandomRuns;
import io.flotilla.testkit.internal.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every {@link LogStore} must pass. Extend it in your backend's test sources and implement
 * {@link #openLog(Path)}:
 *
 * <pre>{@code
 * class FileLogStoreTest extends LogStoreContract {
 *     @Override
 *     protected LogStore openLog(Path dir) throws IOException {
 *         return FileLogStore.open(dir);   // must see what an earlier, closed store wrote in dir
 *     }
 * }
 * }</pre>
 *
 * <p>The suite checks the Javadoc of {@link LogStore} literally: bounds after append, truncation and compaction;
 * typed {@link LogCompactedException} below the compaction point; {@link IllegalArgumentException} for appends
 * that do not continue the log; {@code entries} budget rules; durability across close and reopen; large
 * entries; and, for stores declaring {@link io.flotilla.spi.Capability#CONCURRENT_READS}, readers racing a
 * writer. {@link #randomOperations_matchModel()} runs seeded random operation sequences against a list model
 * (see {@link LogStoreContract#RANDOM_RUNS} for the bounds and the replay flag).
 *
 * <p><b>Threading:</b> JUnit runs each test on one thread; only the concurrent-read test starts a reader
 * thread. <b>Blocking:</b> tests are bounded by run counts and time budgets (a few seconds in all for an
 * in-memory store). <b>Failure:</b> each test fails with an {@link AssertionError} naming the violated rule.
 */
public abstract class LogStoreContract {
    /**
     * How the random-sequence test is bounded: by default 60 runs of 80 operations within 3 seconds, on the fixed
     * seeds 1000, 1001, ...; {@code -Dflotilla.testkit.runs}, {@code -Dflotilla.testkit.budgetMillis} override the
     * bounds, {@code -Dflotilla.testkit.seed=N} replays the seed a failure printed and
     * {@code -Dflotilla.testkit.randomSeeds=true} explores fresh seeds. A failing run is shrunk (at most 200
     * re-runs on fresh directories, or 10 s) and reported as a short operation list.
     */
    public static final String RANDOM_RUNS = "60 runs x 80 steps, 3 s budget";

    /** A fresh directory per test, handed to {@link #openLog(Path)}. */
    @TempDir
    protected Path tempDir;

    private final List<LogStore> opened = new ArrayList<>();

    /** Creates the suite. */
    protected LogStoreContract() {}

    /**
     * Opens the log store kept in {@code dir}, creating it if the directory is empty. Called again with the
     * same directory after the previous store there was closed: the new store must hold exactly what the old
     * one had made durable (a process restart).
     *
     * @param dir an existing directory owned by this test
     * @return the opened store
     * @throws IOException if opening fails
     */
    protected abstract LogStore openLog(Path dir) throws IOException;

    /**
     * Returns how long the concurrent-read test lets its writer append. Default 1.5 seconds.
     *
     * @return the duration
     */
    protected Duration concurrentReadDuration() {
        return Duration.ofMillis(1500);
    }

    /**
     * Closes every store the suite opened.
     *
     * @throws IOException if closing fails
     */
    @AfterEach
    public void closeOpenedStores() throws IOException {
        for (LogStore s : opened) {
            s.close();
        }
        opened.clear();
    }

    private LogStore open(Path dir) throws IOException {
        LogStore s = openLog(dir);
        opened.add(s);
        return s;
    }

    private LogStore reopen(LogStore store, Path dir) throws IOException {
        store.close();
        return open(dir);
    }

    private static List<LogEntry> run(long from, long to, long term) {
        List<LogEntry> es = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            es.add(TestData.entry(i, term, (int) (i % 50)));
        }
        return es;
    }

    /**
     * A new log is empty: firstIndex 1, lastIndex 0, term(0) is 0, reads of index 1 are rejected.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void newStore_isEmpty() throws IOException {
        LogStore log = open(tempDir);
        assertEquals(1, log.firstIndex(), "firstIndex of a new log");
        assertEquals(0, log.lastIndex(), "lastIndex of a new log");
        assertEquals(0, log.term(0), "term(0)");
        assertTrue(log.entries(1, 1, 100).isEmpty(), "entries(1, 1) of a new log");
        assertThrows(IllegalArgumentException.class, () -> log.term(1), "term(1) of an empty log");
        assertThrows(IllegalArgumentException.class, () -> log.entries(1, 2, 100), "entries(1, 2) of an empty log");
    }

    /**
     * Entries of every kind read back equal after append; an empty append changes nothing.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void append_thenRead_returnsEqualEntriesOfEveryKind() throws IOException {
        LogStore log = open(tempDir);
        List<LogEntry> es = List.of(LogEntry.noOp(1, 1), LogEntry.command(2, 1, Bytes.ofUtf8("set x=1")),
                LogEntry.configuration(3, 2, TestData.config()), LogEntry.command(4, 2, Bytes.EMPTY));
        log.append(es);
        assertEquals(4, log.lastIndex());
        assertEquals(es, log.entries(1, 5, Long.MAX_VALUE));
        assertEquals(List.of(1L, 1L, 2L, 2L), List.of(log.term(1), log.term(2), log.term(3), log.term(4)));
        log.append(List.of());
        assertEquals(4, log.lastIndex(), "an empty append changes nothing");
    }

    /**
     * Appends with a gap, an overlap or a hole throw IllegalArgumentException and change nothing.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void append_notContinuingTheLog_throwsIllegalArgumentAndChangesNothing() throws IOException {
        LogStore log = open(tempDir);
        log.append(run(1, 5, 1));
        assertThrows(IllegalArgumentException.class, () -> log.append(run(7, 8, 1)), "gap");
        assertThrows(IllegalArgumentException.class, () -> log.append(run(5, 6, 2)), "overlap");
        assertThrows(IllegalArgumentException.class, () -> log.append(run(1, 1, 2)), "rewrite from 1");
        List<LogEntry> holey = List.of(TestData.entry(6, 1, 1), TestData.entry(8, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> log.append(holey), "non-consecutive batch");
        assertEquals(5, log.lastIndex(), "rejected appends must change nothing");
        assertEquals(run(1, 5, 1), log.entries(1, 6, Long.MAX_VALUE));
        log.append(run(6, 7, 1));
        assertEquals(7, log.lastIndex(), "the log must stay usable after rejected appends");
    }

    /**
     * entries() returns at least one entry, then the longest prefix within maxBytes; bad ranges are rejected.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void entries_overBudget_returnAtLeastOneAndStopAtTheBudget() throws IOException {
        LogStore log = open(tempDir);
        List<LogEntry> es = new ArrayList<>();
        for (long i = 1; i <= 10; i++) {
            es.add(TestData.entry(i, 1, 100)); // 124 accounted bytes each
        }
        log.append(es);
        long each = es.get(0).sizeBytes();
        assertEquals(es.subList(0, 1), log.entries(1, 11, 0), "maxBytes 0 still returns one entry");
        assertEquals(es.subList(2, 3), log.entries(3, 11, each - 1), "an entry over budget is returned alone");
        assertEquals(es.subList(0, 3), log.entries(1, 11, 3 * each), "exactly three fit");
        assertEquals(es.subList(0, 3), log.entries(1, 11, 4 * each - 1), "the fourth does not fit");
        assertEquals(es.subList(4, 8), log.entries(5, 9, Long.MAX_VALUE), "the range end is exclusive");
        assertThrows(IllegalArgumentException.class, () -> log.entries(1, 12, 100), "toIndex > lastIndex + 1");
        assertThrows(IllegalArgumentException.class, () -> log.entries(5, 4, 100), "toIndex < fromIndex");
        assertThrows(IllegalArgumentException.class, () -> log.term(11), "term beyond lastIndex");
        assertThrows(IllegalArgumentException.class, () -> log.term(-1), "negative term index");
    }

    /**
     * A list returned by entries() is a snapshot: later truncation, appends and compaction do not change it.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void entries_returnedList_isNotAffectedByLaterWrites() throws IOException {
        LogStore log = open(tempDir);
        log.append(run(1, 10, 1));
        List<LogEntry> read = log.entries(3, 11, Long.MAX_VALUE);
        List<LogEntry> copy = List.copyOf(read);
        log.truncateSuffix(5);
        log.append(run(5, 12, 2));
        log.compactPrefix(6);
        assertEquals(copy, read, "a list returned earlier changed after truncate/append/compact");
    }

    /**
     * truncateSuffix removes the tail durably, appends then overwrite it, and out-of-range indices are rejected.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void truncateSuffix_removesTheTail_andAppendOverwrites() throws IOException {
        LogStore log = open(tempDir);
        log.append(run(1, 10, 1));
        log.truncateSuffix(6);
        assertEquals(5, log.lastIndex());
        assertThrows(IllegalArgumentException.class, () -> log.term(6), "term of a removed entry");
        log.append(run(6, 8, 2));
        assertEquals(run(6, 8, 2), log.entries(6, 9, Long.MAX_VALUE), "overwritten entries carry the new term");
        log.truncateSuffix(9);
        assertEquals(8, log.lastIndex(), "truncateSuffix(lastIndex + 1) is a no-op");
        assertThrows(IllegalArgumentException.class, () -> log.truncateSuffix(10), "beyond lastIndex + 1");
        assertThrows(IllegalArgumentException.class, () -> log.truncateSuffix(0), "index 0");
        log.truncateSuffix(1);
        assertEquals(0, log.lastIndex(), "truncateSuffix(1) empties the log");
        LogStore reopened = reopen(log, tempDir);
        assertEquals(0, reopened.lastIndex(), "truncation is durable");
        reopened.append(run(1, 2, 3));
        assertEquals(run(1, 2, 3), reopened.entries(1, 3, Long.MAX_VALUE));
    }

    /**
     * After compactPrefix, reads below firstIndex throw LogCompactedException and the rest is intact, also after reopen.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void compactPrefix_readsBelowThrowLogCompacted_andTheRestIsIntact() throws IOException {
        LogStore log = open(tempDir);
        log.append(run(1, 20, 1));
        log.compactPrefix(10);
        long first = log.firstIndex();
        assertTrue(first >= 1 && first <= 11, "firstIndex after compactPrefix(10) must be <= 11, is " + first);
        assertEquals(20, log.lastIndex(), "compaction keeps lastIndex");
        assertEquals(run(11, 20, 1), log.entries(11, 21, Long.MAX_VALUE));
        assertEquals(1, log.term(11));
        if (first > 1) {
            LogCompactedException e = assertThrows(LogCompactedException.class, () -> log.term(first - 1));
            assertEquals(first - 1, e.requestedIndex());
            assertThrows(LogCompactedException.class, () -> log.entries(first - 1, 21, Long.MAX_VALUE));
        }
        log.compactPrefix(5);
        assertEquals(first, log.firstIndex(), "compacting below firstIndex is a no-op");
        LogStore reopened = reopen(log, tempDir);
        long firstAfter = reopened.firstIndex();
        assertTrue(firstAfter >= first && firstAfter <= 11, "firstIndex after reopen: " + firstAfter);
        assertEquals(run(11, 20, 1), reopened.entries(11, 21, Long.MAX_VALUE), "compaction kept the tail durably");
    }

    /**
     * Compacting all but the last entry keeps the last entry readable.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void compactPrefix_everyEntryBeforeLast_leavesLastEntryReadable() throws IOException {
        LogStore log = open(tempDir);
        log.append(run(1, 5, 1));
        log.compactPrefix(4);
        assertEquals(5, log.lastIndex());
        assertEquals(run(5, 5, 1), log.entries(5, 6, 0));
        if (log.firstIndex() > 1) {
            assertThrows(LogCompactedException.class, () -> log.term(1));
        }
    }

    /**
     * compactPrefix beyond lastIndex empties the log durably and the next append starts right after it.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void compactPrefix_beyondLastIndex_emptiesTheLog_andTheNextAppendStartsAfterIt() throws IOException {
        LogStore log = open(tempDir);
        log.append(run(1, 5, 1));
        log.compactPrefix(100);
        assertEquals(101, log.firstIndex(), "firstIndex after compactPrefix(100) beyond the log");
        assertEquals(100, log.lastIndex(), "lastIndex after compactPrefix(100) beyond the log");
        assertThrows(LogCompactedException.class, () -> log.term(5));
        assertThrows(LogCompactedException.class, () -> log.entries(50, 101, 10));
        assertTrue(log.entries(101, 101, 10).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> log.append(run(6, 6, 2)), "append must start at 101");
        LogStore reopened = reopen(log, tempDir);
        assertEquals(101, reopened.firstIndex(), "the reset is durable");
        assertEquals(100, reopened.lastIndex(), "the reset is durable");
        reopened.append(run(101, 103, 2));
        assertEquals(run(101, 103, 2), reopened.entries(101, 104, Long.MAX_VALUE));
        assertEquals(2, reopened.term(101));
    }

    /**
     * Every write that returned survives close and reopen.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void reopen_keepsEveryReturnedWrite() throws IOException {
        LogStore log = open(tempDir);
        log.append(run(1, 30, 1));
        log.truncateSuffix(25);
        log.append(run(25, 40, 2));
        log.compactPrefix(12);
        long first = log.firstIndex();
        List<LogEntry> tail = log.entries(13, 41, Long.MAX_VALUE);
        LogStore reopened = reopen(log, tempDir);
        assertEquals(40, reopened.lastIndex());
        assertTrue(reopened.firstIndex() >= first && reopened.firstIndex() <= 13,
                "firstIndex after reopen " + reopened.firstIndex());
        assertEquals(tail, reopened.entries(13, 41, Long.MAX_VALUE));
        assertEquals(2, reopened.term(40));
        reopened.append(run(41, 41, 3));
        LogStore again = reopen(reopened, tempDir);
        assertEquals(41, again.lastIndex(), "an append after a reopen is durable too");
        assertEquals(3, again.term(41));
    }

    /**
     * close() is idempotent and later calls throw IOException.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void close_isIdempotent_andLaterCallsThrowIOException() throws IOException {
        LogStore log = open(tempDir);
        log.append(run(1, 2, 1));
        log.close();
        log.close();
        assertThrows(IOException.class, log::lastIndex, "lastIndex after close");
        assertThrows(IOException.class, () -> log.append(run(3, 3, 1)), "append after close");
    }

    /**
     * 1 MiB entries round-trip, respect the byte budget and survive reopen.
     *
     * @throws IOException if the backend fails unexpectedly
     */
    @Test
    public void largeEntries_ofOneMebibyte_roundTripAndSurviveReopen() throws IOException {
        LogStore log = open(tempDir);
        int size = 1 << 20;
        List<LogEntry> big = new ArrayList<>();
        for (long i = 1; i <= 6; i++) {
            big.add(TestData.entry(i, 1, size));
        }
        log.append(big.subList(0, 2));
        log.append(big.subList(2, 6));
        assertEquals(big.subList(0, 1), log.entries(1, 7, 1), "one entry however large");
        assertEquals(big.subList(1, 4), log.entries(2, 7, 3L * (size + LogEntry.OVERHEAD_BYTES)));
        LogStore reopened = reopen(log, tempDir);
        assertEquals(big, reopened.entries(1, 7, Long.MAX_VALUE), "large entries after reopen");
    }

    /**
     * Seeded random operation sequences match a list model after every step. A failure is shrunk to a short
     * operation list and reports it with the seed to replay (see {@link #RANDOM_RUNS}).
     *
     * @throws Exception if the backend fails unexpectedly
     */
    @Test
    public void randomOperations_matchModel() throws Exception {
        int runs = RandomRuns.repeat(getClass().getSimpleName() + ".randomOperations_matchModel", 60,
                Duration.ofSeconds(3), (run, seed) -> RandomRuns.runAndShrink(LogStoreChecker.generate(seed, 80),
                        (ops, attempt) -> new LogStoreChecker(this::open,
                                Files.createDirectories(tempDir.resolve("random-" + run + "-" + attempt)), ops).run(),
                        LogStoreChecker::simpler));
        assertTrue(runs >= 1);
    }

    /**
     * With CONCURRENT_READS, a reader racing an appending writer sees no exception and no wrong data.
     *
     * @throws Exception if the backend fails unexpectedly
     */
    @Test
    public void concurrentReaders_whileAppending_seeOnlyCorrectData() throws Exception {
        LogStore log = open(tempDir);
        Assumptions.assumeTrue(log.capabilities().contains(Capability.CONCURRENT_READS),
                "the store does not declare CONCURRENT_READS");
        ConcurrentReadCheck.run(log, concurrentReadDuration());
    }
}
