package io.flotilla.testkit.internal;

import io.flotilla.LogEntry;
import io.flotilla.spi.LogCompactedException;
import io.flotilla.spi.LogStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs one list of log operations — append / truncateSuffix / compactPrefix / invalid append / close-and-reopen /
 * reads — against a {@link LogStore} and compares every observable read with a simple list model after every
 * operation. The list is generated from a seed first ({@link #generate}) and executed after, so that a failing
 * list can be shrunk ({@link Shrinker}) and replayed.
 *
 * <p>Operations hold random choices, not absolute indices: each resolves against the current state when it runs
 * (an append continues the log, a truncation picks a point in {@code [firstIndex, lastIndex + 1]}), so every
 * sub-list of a generated list is still a valid run. The failure trace shows the resolved values.
 * Single-threaded.
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

    /** One operation; {@link #reads()} seeds the random reads that check the store after it. */
    public sealed interface Op permits Append, TruncateSuffix, CompactPrefix, InvalidAppend, Reopen, Reads {
        /**
         * Returns the seed of the reads that follow this operation.
         *
         * @return the seed
         */
        long reads();
    }

    /**
     * Appends {@code payloadSizes.size()} entries after the last one, in a new term if {@code newTerm}.
     *
     * @param newTerm whether the term goes up first
     * @param payloadSizes the entries' payload sizes
     * @param reads the seed of the following reads
     */
    public record Append(boolean newTerm, List<Integer> payloadSizes, long reads) implements Op {
        /** Copies the sizes. */
        public Append {
            payloadSizes = List.copyOf(payloadSizes);
        }
    }

    /**
     * Truncates at a point in {@code [firstIndex, lastIndex + 1]} chosen by {@code pick}; then the term goes up if
     * {@code newTerm}.
     *
     * @param pick chooses the point
     * @param newTerm whether the term goes up after
     * @param reads the seed of the following reads
     */
    public record TruncateSuffix(int pick, boolean newTerm, long reads) implements Op {}

    /**
     * Compacts through a point in {@code [firstIndex - 2, lastIndex + 3]} (at least 0) chosen by {@code pick}.
     *
     * @param pick chooses the point
     * @param reads the seed of the following reads
     */
    public record CompactPrefix(int pick, long reads) implements Op {}

    /**
     * Appends two entries that do not continue the log (a gap if {@code gap}, else overlapping by {@code back});
     * the store must throw {@link IllegalArgumentException}.
     *
     * @param gap whether to leave a gap
     * @param back how far before the end to start, if not a gap
     * @param reads the seed of the following reads
     */
    public record InvalidAppend(boolean gap, int back, long reads) implements Op {}

    /**
     * Closes the store and opens the directory again.
     *
     * @param reads the seed of the following reads
     */
    public record Reopen(long reads) implements Op {}

    /**
     * Only reads.
     *
     * @param reads the seed of the reads
     */
    public record Reads(long reads) implements Op {}

    private final Opener opener;
    private final Path dir;
    private final List<Op> ops;
    private final List<String> trace = new ArrayList<>();
    private SplittableRandom rnd = new SplittableRandom(0);

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
     * @param ops the operations, e.g. from {@link #generate}
     */
    public LogStoreChecker(Opener opener, Path dir, List<Op> ops) {
        this.opener = opener;
        this.dir = dir;
        this.ops = List.copyOf(ops);
    }

    /**
     * Generates the operations of one run from a seed; the same seed always gives the same list.
     *
     * @param seed the seed
     * @param steps how many operations
     * @return the operations
     */
    public static List<Op> generate(long seed, int steps) {
        SplittableRandom g = new SplittableRandom(seed);
        List<Op> out = new ArrayList<>(steps);
        for (int step = 0; step < steps; step++) {
            int p = g.nextInt(100);
            long reads = g.nextLong();
            if (p < 45) {
                boolean newTerm = g.nextInt(10) == 0;
                int n = 1 + g.nextInt(8);
                List<Integer> sizes = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    sizes.add(g.nextInt(20) == 0 ? 4096 : g.nextInt(300));
                }
                out.add(new Append(newTerm, sizes, reads));
            } else if (p < 58) {
                out.add(new TruncateSuffix(g.nextInt(Integer.MAX_VALUE), g.nextBoolean(), reads));
            } else if (p < 72) {
                out.add(new CompactPrefix(g.nextInt(Integer.MAX_VALUE), reads));
            } else if (p < 80) {
                out.add(new InvalidAppend(g.nextBoolean(), g.nextInt(3), reads));
            } else if (p < 88) {
                out.add(new Reopen(reads));
            } else {
                out.add(new Reads(reads));
            }
        }
        return out;
    }

    /**
     * Returns simpler variants of an operation for the shrinker: an append of fewer entries, without the new term,
     * or with empty payloads.
     *
     * @param op an operation
     * @return its simpler variants, most aggressive first; empty if none
     */
    public static List<Op> simpler(Op op) {
        List<Op> out = new ArrayList<>();
        if (op instanceof Append a) {
            List<Integer> sizes = a.payloadSizes();
            if (sizes.size() > 1) {
                out.add(new Append(a.newTerm(), sizes.subList(0, 1), a.reads()));
            }
            if (sizes.size() > 3) {
                out.add(new Append(a.newTerm(), sizes.subList(0, sizes.size() / 2), a.reads()));
            }
            if (a.newTerm()) {
                out.add(new Append(false, sizes, a.reads()));
            }
            if (sizes.stream().anyMatch(x -> x > 0)) {
                out.add(new Append(a.newTerm(), Collections.nCopies(sizes.size(), 0), a.reads()));
            }
        } else if (op instanceof TruncateSuffix t && t.newTerm()) {
            out.add(new TruncateSuffix(t.pick(), false, t.reads()));
        }
        return out;
    }

    /**
     * Runs the operations, checking the store after opening and after each of them; closes the store at the end.
     *
     * @throws OpsFailure with the operations that ran, if the store diverged from the model or failed
     * @throws IOException if closing the store fails
     */
    public void run() throws IOException {
        try {
            store = opener.open(dir);
            check();
        } catch (Exception | AssertionError t) {
            closeQuietly();
            throw new OpsFailure(OpsFailure.AT_OPEN, trace, t);
        }
        try {
            for (int i = 0; i < ops.size(); i++) {
                Op op = ops.get(i);
                try {
                    apply(op);
                    rnd = new SplittableRandom(op.reads());
                    check();
                } catch (Exception | AssertionError t) {
                    if (trace.size() == i) {
                        trace.add(op.toString());
                    }
                    throw new OpsFailure(i, trace, t);
                }
            }
        } catch (OpsFailure f) {
            closeQuietly();
            throw f;
        }
        store.close();
    }

    private void closeQuietly() {
        if (store != null) {
            try {
                store.close();
            } catch (Exception | AssertionError ignored) {
                // the run already failed
            }
        }
    }

    private long last() {
        return base + list.size();
    }

    private LogEntry model(long index) {
        return list.get((int) (index - base - 1));
    }

    private void apply(Op op) throws IOException {
        long first = store.firstIndex();
        long last = last();
        if (op instanceof Append a) {
            if (a.newTerm()) {
                term++;
            }
            int n = a.payloadSizes().size();
            trace.add("append " + (last + 1) + ".." + (last + n) + " (term " + term + ", payload bytes "
                    + a.payloadSizes() + ")");
            List<LogEntry> es = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                es.add(TestData.entry(last + 1 + i, term, a.payloadSizes().get(i)));
            }
            store.append(es);
            list.addAll(es);
        } else if (op instanceof TruncateSuffix t) {
            long from = first + t.pick() % (last + 2 - first);
            trace.add("truncateSuffix(" + from + ")" + (t.newTerm() ? ", then a new term" : ""));
            store.truncateSuffix(from);
            while (last() >= from) {
                list.remove(list.size() - 1);
            }
            compactedThrough = Math.min(compactedThrough, from - 1);
            if (t.newTerm()) {
                term++;
            }
        } else if (op instanceof CompactPrefix c) {
            long lo = Math.max(0, first - 2);
            long through = lo + c.pick() % (last + 4 - lo);
            trace.add("compactPrefix(" + through + ")");
            store.compactPrefix(through);
            if (through >= last) {
                base = through;
                list.clear();
                compactedThrough = through;
            } else {
                compactedThrough = Math.max(compactedThrough, through);
            }
        } else if (op instanceof InvalidAppend b) {
            long start = last == 0 || b.gap() ? last + 2 : Math.max(1, last - b.back());
            trace.add("append " + start + ".." + (start + 1) + " onto lastIndex " + last
                    + " (must throw IllegalArgumentException)");
            List<LogEntry> bad = List.of(TestData.entry(start, term, 8), TestData.entry(start + 1, term, 8));
            try {
                store.append(bad);
            } catch (IllegalArgumentException expected) {
                return;
            }
            throw new AssertionError("append of entries starting at " + start + " onto lastIndex " + last
                    + " was accepted; expected IllegalArgumentException");
        } else if (op instanceof Reopen) {
            trace.add("close+reopen");
            store.close();
            store = opener.open(dir);
        } else {
            trace.add("reads only");
        }
    }

    private void check() throws IOException {
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
