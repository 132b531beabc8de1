package io.flotilla.store.lmdb.internal;

import io.flotilla.Bytes;
import io.flotilla.LogEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The deterministic data of the crash tests: an entry's payload is a function of the campaign seed, its index and
 * its term, so the parent can check every byte the child wrote from the (index, term) pairs it acknowledged.
 * Sizes are mostly small, sometimes a few KiB, rarely larger than an LMDB page run (overflow pages).
 */
final class CrashWorkload {
    private CrashWorkload() {}

    static Bytes payload(long seed, long index, long term) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index * 31 + term);
        int roll = r.nextInt(100);
        int size = roll < 80 ? r.nextInt(1, 300) : roll < 98 ? r.nextInt(300, 5000) : r.nextInt(5000, 70_000);
        byte[] b = new byte[size];
        r.nextBytes(b);
        return Bytes.unsafeWrap(b);
    }

    static List<LogEntry> entries(long seed, long from, int count, long term) {
        List<LogEntry> es = new ArrayList<>(count);
        for (long i = from; i < from + count; i++) {
            es.add(LogEntry.command(i, term, payload(seed, i, term)));
        }
        return es;
    }
}
