package io.flotilla.store.file.internal;

import io.flotilla.Bytes;
import io.flotilla.LogEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Test data: deterministic entries whose payload encodes index and term. */
public final class Entries {
    private Entries() {}

    /**
     * Returns an entry with a payload of {@code size} bytes derived from index and term.
     *
     * @param index the index
     * @param term the term
     * @param size the payload size
     * @return the entry
     */
    public static LogEntry entry(long index, long term, int size) {
        byte[] b = new byte[size];
        Random r = new Random(index * 31 + term);
        r.nextBytes(b);
        return LogEntry.command(index, term, Bytes.unsafeWrap(b));
    }

    /**
     * Returns consecutive entries.
     *
     * @param from the first index
     * @param to the last index, inclusive
     * @param term the term
     * @param size the payload size
     * @return the entries
     */
    public static List<LogEntry> run(long from, long to, long term, int size) {
        List<LogEntry> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            out.add(entry(i, term, size));
        }
        return out;
    }
}
