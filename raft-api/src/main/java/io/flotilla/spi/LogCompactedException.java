package io.flotilla.spi;

import java.io.IOException;

/**
 * A read asked for log entries that were compacted into a snapshot. Not a failure of the store: the core
 * reacts by sending a snapshot instead of entries. Match it by type, never by identity.
 */
public final class LogCompactedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long requestedIndex;
    private final long firstIndex;

    /**
     * Creates the exception.
     *
     * @param requestedIndex the index that was asked for
     * @param firstIndex the store's first readable index
     */
    public LogCompactedException(long requestedIndex, long firstIndex) {
        super("index " + requestedIndex + " is compacted; first readable index is " + firstIndex);
        this.requestedIndex = requestedIndex;
        this.firstIndex = firstIndex;
    }

    /**
     * Returns the index that was asked for.
     *
     * @return the requested index
     */
    public long requestedIndex() {
        return requestedIndex;
    }

    /**
     * Returns the store's first readable index at the time of the read.
     *
     * @return the first index
     */
    public long firstIndex() {
        return firstIndex;
    }
}
