package io.flotilla.core.internal.tracker;

/**
 * The pipelining window towards one follower (etcd raft's {@code Inflights}): the AppendEntries messages sent
 * but not yet acknowledged, each remembered by its last index and its entry bytes. The window is full when it
 * holds {@code maxCount} messages or at least {@code maxBytes} bytes; the leader then stops sending until
 * acknowledgements free room. A ring buffer of primitives: adding and freeing never allocate.
 *
 * <p><b>Threading:</b> not thread-safe; used only on the event loop.
 */
public final class Inflights {
    private final int capacity;
    private final long maxBytes;
    private final long[] lastIndices;
    private final long[] sizes;
    private int start;
    private int count;
    private long bytes;

    /**
     * @param maxCount most messages in flight, at least 1
     * @param maxBytes most entry bytes in flight, at least 1
     */
    public Inflights(int maxCount, long maxBytes) {
        if (maxCount < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("maxCount and maxBytes must be >= 1, got " + maxCount + ", " + maxBytes);
        }
        this.capacity = maxCount;
        this.maxBytes = maxBytes;
        this.lastIndices = new long[maxCount];
        this.sizes = new long[maxCount];
    }

    /**
     * Records a sent message. Indices must increase from one call to the next.
     *
     * @param lastIndex the last entry index the message carries
     * @param messageBytes the entry bytes it carries
     * @throws IllegalStateException if the window is already full, or indices do not increase
     */
    public void add(long lastIndex, long messageBytes) {
        if (full()) {
            throw new IllegalStateException("inflight window is full (" + count + " messages, " + bytes + " bytes)");
        }
        if (count > 0 && lastIndices[(start + count - 1) % capacity] >= lastIndex) {
            throw new IllegalStateException("inflight index " + lastIndex + " does not increase");
        }
        int slot = (start + count) % capacity;
        lastIndices[slot] = lastIndex;
        sizes[slot] = messageBytes;
        count++;
        bytes += messageBytes;
    }

    /**
     * Frees every message whose last index is at or below {@code index} (they are acknowledged).
     *
     * @param index the acknowledged index
     */
    public void freeLE(long index) {
        while (count > 0 && lastIndices[start] <= index) {
            bytes -= sizes[start];
            start = (start + 1) % capacity;
            count--;
        }
        if (count == 0) {
            start = 0;
        }
    }

    /** Frees the oldest message, if any (a heartbeat answered while the window was full, etcd-style). */
    public void freeFirstOne() {
        if (count > 0) {
            freeLE(lastIndices[start]);
        }
    }

    /** @return whether no more messages may be sent */
    public boolean full() {
        return count >= capacity || bytes >= maxBytes;
    }

    /** @return the number of messages in flight */
    public int count() {
        return count;
    }

    /** @return the entry bytes in flight */
    public long bytes() {
        return bytes;
    }

    /** Forgets every message (on a change of replication state). */
    public void reset() {
        start = 0;
        count = 0;
        bytes = 0;
    }
}
