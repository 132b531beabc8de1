package io.flotilla.store.lmdb.internal;

import io.flotilla.HardState;
import io.flotilla.spi.LogStore;
import io.flotilla.store.lmdb.LmdbStoreOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The child JVM of {@link LmdbCrashIT}: opens the store, then writes forever until it is killed. Before each
 * operation it prints {@code B <op>} and after the operation returned (durable) {@code K}, flushing each line, so
 * the parent knows every acknowledged operation and the one in flight at the kill. Operations: {@code A from count
 * term} (append), {@code T from} (truncateSuffix), {@code C through} (compactPrefix), {@code S term} (save hard
 * state).
 *
 * <p>Arguments: directory, workload seed, incarnation seed.
 */
public final class LmdbCrashChild {
    private LmdbCrashChild() {}

    /**
     * Runs the child.
     *
     * @param args directory, workload seed, incarnation seed
     * @throws Exception on any failure (exit code 1: the parent fails the test)
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        SplittableRandom r = new SplittableRandom(Long.parseLong(args[2]));
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, "UTF-8");
        // A small map, so transactions also grow it while being killed.
        LmdbStoreOptions options = LmdbStoreOptions.defaults().withMapSizeBytes(1L << 20);
        try (LmdbStorage s = LmdbStorage.open(dir, options)) {
            LogStore log = s.log();
            long lastTerm = log.lastIndex() >= log.firstIndex() ? log.term(log.lastIndex()) : 0;
            long term = Math.max(s.state().load().term(), lastTerm);
            out.println("READY");
            out.flush();
            while (true) {
                int roll = r.nextInt(100);
                long first = log.firstIndex();
                long last = log.lastIndex();
                if (roll < 70 || last < first) {
                    int count = r.nextInt(100) < 80 ? r.nextInt(1, 16) : r.nextInt(16, 256);
                    out.println("B A " + (last + 1) + " " + count + " " + term);
                    out.flush();
                    log.append(CrashWorkload.entries(seed, last + 1, count, term));
                } else if (roll < 80) {
                    term++;
                    out.println("B S " + term);
                    out.flush();
                    s.state().save(HardState.of(term));
                } else if (roll < 92) {
                    long from = Math.max(first, last - r.nextInt(0, 40));
                    out.println("B T " + from);
                    out.flush();
                    log.truncateSuffix(from);
                } else {
                    long through = first - 1 + r.nextLong(0, (last - first + 1) / 2 + 1);
                    out.println("B C " + through);
                    out.flush();
                    log.compactPrefix(through);
                }
                out.println("K");
                out.flush();
            }
        }
    }
}
