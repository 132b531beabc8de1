package io.flotilla.testkit.internal;

import io.flotilla.LogEntry;
import io.flotilla.spi.LogCompactedException;
import io.flotilla.spi.LogStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One writer appends (and now and then compacts far behind the tail) while a reader thread hammers reads of
 * indices the writer has made durable; every entry read must equal what was written. Bounded in time.
 */
public final class ConcurrentReadCheck {
    private static final long TERM = 7;
    private static final int COMPACT_LAG = 20_000;

    private ConcurrentReadCheck() {}

    private static LogEntry expected(long index) {
        return TestData.entry(index, TERM + index / 1000, 16 + (int) (index % 97));
    }

    /**
     * Runs the check.
     *
     * @param log an empty store declaring concurrent reads
     * @param duration how long the writer writes
     * @throws Exception if the reader saw an exception or wrong data, or the writer failed
     */
    public static void run(LogStore log, Duration duration) throws Exception {
        AtomicReference<Throwable> readerFailure = new AtomicReference<>();
        AtomicReference<Long> reads = new AtomicReference<>(0L);
        long deadline = System.nanoTime() + duration.toNanos();
        Thread reader = new Thread(() -> {
            SplittableRandom rnd = new SplittableRandom(1);
            long n = 0;
            try {
                while (System.nanoTime() < deadline && readerFailure.get() == null) {
                    long last = log.lastIndex();
                    if (last < 1) {
                        continue;
                    }
                    long lo = Math.max(1, last - rnd.nextInt(200));
                    try {
                        List<LogEntry> got = log.entries(lo, last + 1, 1 + rnd.nextInt(16_384));
                        if (got.isEmpty()) {
                            throw new AssertionError("entries(" + lo + ", " + (last + 1) + ") returned nothing");
                        }
                        for (int i = 0; i < got.size(); i++) {
                            if (!expected(lo + i).equals(got.get(i))) {
                                throw new AssertionError("concurrent read of index " + (lo + i) + " returned "
                                        + got.get(i) + ", expected " + expected(lo + i));
                            }
                        }
                        long t = log.term(last);
                        if (t != expected(last).term()) {
                            throw new AssertionError("concurrent term(" + last + ") = " + t);
                        }
                    } catch (LogCompactedException e) {
                        if (log.firstIndex() <= lo) {
                            throw new AssertionError("LogCompactedException for index " + lo
                                    + " although firstIndex is " + log.firstIndex(), e);
                        }
                    }
                    n++;
                }
            } catch (Throwable t) {
                readerFailure.compareAndSet(null, t);
            }
            reads.set(n);
        }, "flotilla-testkit-reader");
        reader.setDaemon(true);
        reader.start();
        long next = 1;
        SplittableRandom rnd = new SplittableRandom(2);
        try {
            while (System.nanoTime() < deadline && readerFailure.get() == null) {
                int n = 1 + rnd.nextInt(16);
                List<LogEntry> batch = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    batch.add(expected(next + i));
                }
                log.append(batch);
                next += n;
                if (next % 1000 < n && next > COMPACT_LAG) {
                    log.compactPrefix(next - COMPACT_LAG);
                }
            }
        } finally {
            reader.join(TimeUnit.SECONDS.toMillis(10) + duration.toMillis());
        }
        if (reader.isAlive()) {
            throw new AssertionError("reader thread did not finish within its deadline (a read blocked?)");
        }
        Throwable t = readerFailure.get();
        if (t != null) {
            throw new AssertionError("reader failed while the writer appended up to index " + (next - 1) + ": " + t, t);
        }
        if (reads.get() == 0) {
            throw new AssertionError("the reader never completed a read in " + duration.toMillis() + " ms");
        }
    }
}
