package io.flotilla.bench.driver;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;

/**
 * Heap and GC figures of this JVM at one instant; {@link #since} gives the figures of a window.
 *
 * @param nanoTime when taken
 * @param heapUsed bytes of heap in use (live and garbage)
 * @param heapCommitted bytes of heap committed
 * @param heapMax the heap limit ({@code -Xmx})
 * @param gcCount collections so far, all collectors
 * @param gcMillis approximate total collection time so far (pauses and concurrent cycles, as the JVM reports)
 * @param allocatedBytes bytes allocated so far by each live thread, by thread id; null if the JVM cannot tell
 */
public record JvmStats(
        long nanoTime, long heapUsed, long heapCommitted, long heapMax, long gcCount, long gcMillis,
        java.util.Map<Long, Long> allocatedBytes) {
    private static final long MIB = 1024 * 1024;

    /**
     * Takes the figures now.
     *
     * @return the figures
     */
    public static JvmStats snapshot() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        java.util.Map<Long, Long> allocated = null;
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
                && threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()) {
            allocated = new java.util.HashMap<>();
            long[] ids = threads.getAllThreadIds();
            long[] bytes = threads.getThreadAllocatedBytes(ids);
            for (int i = 0; i < ids.length; i++) {
                if (bytes[i] >= 0) {
                    allocated.put(ids[i], bytes[i]);
                }
            }
        }
        return new JvmStats(System.nanoTime(), heap.getUsed(), heap.getCommitted(), heap.getMax(), count, millis,
                allocated);
    }

    /**
     * Returns the allocation rate between an earlier snapshot and this one.
     *
     * @param earlier the earlier snapshot
     * @return MiB allocated per second by the threads alive at the end (a thread that ended in between is not
     *     counted: a sum over live threads alone would shrink, even below zero, when one ends), or -1
     */
    public double allocMibPerSecond(JvmStats earlier) {
        if (allocatedBytes == null || earlier.allocatedBytes == null) {
            return -1;
        }
        long bytes = 0;
        for (java.util.Map.Entry<Long, Long> e : allocatedBytes.entrySet()) {
            bytes += Math.max(0, e.getValue() - earlier.allocatedBytes.getOrDefault(e.getKey(), 0L));
        }
        double seconds = (nanoTime - earlier.nanoTime) / 1e9;
        return bytes / (double) MIB / seconds;
    }

    /**
     * Summarizes the heap in one line.
     *
     * @return such as {@code heap used 80 MiB of 256 MiB max, 12 GCs, 40 ms}
     */
    public String heapSummary() {
        return String.format("heap used %d MiB, committed %d MiB, max %d MiB; %d GCs, %d ms total",
                heapUsed / MIB, heapCommitted / MIB, heapMax / MIB, gcCount, gcMillis);
    }

    /**
     * Returns the heap in use after a full collection (a requested {@code System.gc()}): the live set.
     *
     * @return bytes
     */
    public static long liveHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
