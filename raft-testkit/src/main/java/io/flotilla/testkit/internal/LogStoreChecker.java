package io.flotilla.testkit.internal;

import io.flotilla.LogEntry;
import io.flotilla.spi.LogCompactedException;
import io.flotilla.spi.LogStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Drives a {@link LogStore} through one seeded random sequence of append / truncateSuffix / compactPrefix /
 * invalid append / close-and-reopen, and compares every observable read with a simple list model after every
 * step. Because the check runs after every step, the reported operation prefix is the shortest failing one
 * for the seed.
 */
public final class LogStoreChecker {
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
        LogStore open(Path dir) throws IOException;
    }

    private final Opener opener;
    private final Path dir;
    private final SplittableRandom rnd;
    private final int steps;
    private final List<String> history = new ArrayList<>();

    // The model. Entries exist for indices base+1 .. base+list.size().
    private long base;
    private final List<LogEntry> list = new ArrayList<>();
    // The store may have discarded entries up to here (it may also keep them).
    private long compactedThrough;
    private long observedFirst = 1;
    private long term = 1;
    private LogStore store;

    /**
     * Creates a checker for one run.
     *
     * @param opener opens the store
     * @param dir an empty directory for this run
     * @param seed the run's seed
     * @param steps how many operations to perform
     */
    public LogStoreChecker(Opener opener, Path dir, long seed, int steps) {
        this.opener = opener;
        this.dir = dir;
        this.rnd = new SplittableRandom(seed);
        this.steps = steps;
    }

    /**
     * Runs the sequence; closes the store at the end.
     *
     * @throws Exception with the operation history in its message if the store diverged from the model
     */
    public void run() throws Exception {
        store = opener.open(dir);
        try {
            check("open");
            for (int step = 0; step < steps; step++) {
                String op = step();
                history.add(op);
                try {
                    check(op);
                } catch (Throwable t) {
                    throw new AssertionError("store diverged from the model after step " + step + " (" + op
                            + ").\nOperations so far (the shortest failing prefix for this seed):\n  "
                            + String.join("\n  ", history) + "\nCause: " + t, t);
                }
            }
        } finally {
            store.close();
        }
    }

    private long last() {
        return base + list.size();
    }

    private LogEntry model(long index) {
        return list.get((int) (index - base - 1));
    }

    private String step() throws IOException {
        int p = rnd.nextInt(100);
        long first = store.firstIndex();
        long last = last();
        if (p < 45) {
            int n = 1 + rnd.nextInt(8);
            if (rnd.nextInt(10) == 0) {
                term++;
            }
            List<LogEntry> es = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int size = rnd.nextInt(20) == 0 ? 4096 : rnd.nextInt(300);
                es.add(TestData.entry(last + 1 + i, term, size));
            }
            store.append(es);
            list.addAll(es);
            return "append(" + (last + 1) + ".." + (last + n) + ", term " + term + ")";
        } else if (p < 58) {
            long from = first + (long) rnd.nextInt((int) Math.min(Integer.MAX_VALUE - 1, last + 2 - first));
            store.truncateSuffix(from);
            while (last() >= from) {
                list.remove(list.size() - 1);
            }
            compactedThrough = Math.min(compactedThrough, from - 1);
            term += rnd.nextInt(2);
            return "truncateSuffix(" + from + ")";
        } else if (p < 72) {
            long lo = Math.max(0, first - 2);
            long through = lo + rnd.nextInt((int) (last + 4 - lo));
            store.compactPrefix(through);
            if (through >= last) {
                base = through;
                list.clear();
                compactedThrough = through;
            } else {
                compactedThrough = Math.max(compactedThrough, through);
            }
            return "compactPrefix(" + through + ")";
        } else if (p < 80) {
            long start = last == 0 || rnd.nextBoolean() ? last + 2 : Math.max(1, last - rnd.nextInt(3));
            List<LogEntry> bad = List.of(TestData.entry(start, term, 8), TestData.entry(start + 1, term, 8));
            try {
                store.append(bad);
            } catch (IllegalArgumentException expected) {
                return "append(" + start + "..) not continuing lastIndex " + last + " -> IllegalArgumentException";
            }
            throw new AssertionError("append of entries starting at " + start + " onto lastIndex " + last
                    + " was accepted; expected IllegalArgumentException");
        } else if (p < 88) {
            store.close();
            store = opener.open(dir);
            return "close+reopen";
        }
        return "read only";
    }

    private void check(String op) throws IOException {
        long first = store.firstIndex();
        long last = store.lastIndex();
        expect(last == last(), "lastIndex() = " + last + ", model " + last());
        long maxFirst = Math.min(compactedThrough, last()) + 1;
        if (base >= last()) {
            maxFirst = base + 1;
        }
        expect(first >= base + 1 && first >= observedFirst && first <= maxFirst,
                "firstIndex() = " + first + ", allowed [" + Math.max(base + 1, observedFirst) + ", " + maxFirst
                        + "] (previous firstIndex " + observedFirst + ", compacted through " + compactedThrough + ")");
        observedFirst = first;
        expect(store.term(0) == 0, "term(0) != 0");
        if (last >= first) {
            checkTerm(first);
            checkTerm(last);
            for (int i = 0; i < 6; i++) {
                checkTerm(first + rnd.nextLong(last - first + 1));
            }
            for (int i = 0; i < 3; i++) {
                long lo = first + rnd.nextLong(last - first + 2);
                long hi = lo + rnd.nextLong(last + 2 - lo);
                checkEntries(lo, hi);
            }
        }
        expect(store.entries(last + 1, last + 1, 1024).isEmpty(), "entries(last+1, last+1) not empty");
        if (first > 1) {
            long below = 1 + rnd.nextLong(first - 1);
            try {
                store.term(below);
                throw new AssertionError("term(" + below + ") below firstIndex " + first
                        + " did not throw LogCompactedException");
            } catch (LogCompactedException expected) {
                // correct
            }
            try {
                store.entries(below, first, Long.MAX_VALUE);
                throw new AssertionError("entries(" + below + ", ...) below firstIndex " + first
                        + " did not throw LogCompactedException");
            } catch (LogCompactedException expected) {
                // correct
            }
        }
    }

    private void checkTerm(long index) throws IOException {
        long t = store.term(index);
        expect(t == model(index).term(), "term(" + index + ") = " + t + ", model " + model(index).term());
    }

    private void checkEntries(long lo, long hi) throws IOException {
        long maxBytes;
        switch (rnd.nextInt(4)) {
            case 0:
                maxBytes = 0;
                break;
            case 1:
                maxBytes = rnd.nextInt(2000);
                break;
            case 2:
                maxBytes = Long.MAX_VALUE;
                break;
            default:
                maxBytes = rnd.nextInt(20_000);
        }
        List<LogEntry> got = store.entries(lo, hi, maxBytes);
        String call = "entries(" + lo + ", " + hi + ", " + maxBytes + ")";
        if (lo == hi) {
            expect(got.isEmpty(), call + " returned entries for an empty range");
            return;
        }
        expect(!got.isEmpty(), call + " returned nothing for a non-empty range");
        expect(got.size() <= hi - lo, call + " returned " + got.size() + " entries, more than the range");
        long bytes = 0;
        for (int i = 0; i < got.size(); i++) {
            LogEntry want = model(lo + i);
            expect(want.equals(got.get(i)), call + " entry " + i + " is " + got.get(i) + ", model " + want);
            bytes += want.sizeBytes();
        }
        expect(got.size() == 1 || bytes <= maxBytes, call + " returned " + bytes + " bytes, over budget");
        if (got.size() < hi - lo) {
            long next = bytes + model(lo + got.size()).sizeBytes();
            expect(next > maxBytes, call + " stopped after " + got.size() + " entries (" + bytes
                    + " bytes) although the next one fits the budget");
        }
    }

    private static void expect(boolean ok, String message) {
        if (!ok) {
            throw new AssertionError(message);
        }
    }
}
