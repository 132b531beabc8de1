package io.flotilla.core.internal.log;

import io.flotilla.LogEntry;
import java.io.IOException;
import java.util.List;

/**
 * The read side of the durable log, as the protocol core sees it: the subset of
 * {@link io.flotilla.spi.LogStore} that is safe to call from the event loop while the storage thread writes
 * (the store declares {@link io.flotilla.spi.Capability#CONCURRENT_READS}). The core reads only indices it knows
 * are durable; entries still being written are served from its in-memory unstable log.
 */
public interface StableLog {
    /** @return see {@link io.flotilla.spi.LogStore#firstIndex()} @throws IOException on store failure */
    long firstIndex() throws IOException;

    /** @return see {@link io.flotilla.spi.LogStore#lastIndex()} @throws IOException on store failure */
    long lastIndex() throws IOException;

    /**
     * @param index the index
     * @return see {@link io.flotilla.spi.LogStore#term(long)}
     * @throws IOException on store failure or compaction
     */
    long term(long index) throws IOException;

    /**
     * @param fromIndex first index
     * @param toIndex end, exclusive
     * @param maxBytes byte budget
     * @return see {@link io.flotilla.spi.LogStore#entries(long, long, long)}
     * @throws IOException on store failure or compaction
     */
    List<LogEntry> entries(long fromIndex, long toIndex, long maxBytes) throws IOException;
}
