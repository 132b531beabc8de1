package io.flotilla.bench.driver;

import org.HdrHistogram.Histogram;

/**
 * The figures of one measured window at one concurrency.
 *
 * @param system the system's description
 * @param concurrency closed-loop clients
 * @param writesPerSecond commands completed per second in the window
 * @param p50Millis median latency, ms
 * @param p99Millis 99th percentile latency, ms
 * @param p999Millis 99.9th percentile latency, ms
 * @param maxMillis the slowest command, ms
 * @param failures proposals that failed (retried)
 * @param allocMibPerSecond heap allocation rate of the whole JVM in the window
 * @param gcCount collections in the window
 * @param gcMillis collection time in the window
 * @param peakHeapMib the most heap in use seen in the window (sampled every 50 ms; includes garbage)
 * @param liveHeapMib heap in use after a full collection right after the window: the live set of the whole JVM
 */
public record LevelResult(
        String system, int concurrency, double writesPerSecond, double p50Millis, double p99Millis,
        double p999Millis, double maxMillis, long failures, double allocMibPerSecond, long gcCount, long gcMillis,
        long peakHeapMib, long liveHeapMib) {

    static LevelResult of(String system, int concurrency, Histogram h, double seconds, long failures,
            JvmStats before, JvmStats after, long peakHeap, long liveHeap) {
        return new LevelResult(system, concurrency, h.getTotalCount() / seconds,
                h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6,
                h.getValueAtPercentile(99.9) / 1e6, h.getMaxValue() / 1e6, failures,
                after.allocMibPerSecond(before), after.gcCount() - before.gcCount(),
                after.gcMillis() - before.gcMillis(), peakHeap / (1024 * 1024), liveHeap / (1024 * 1024));
    }

    static String header() {
        return String.format("%-11s %10s %8s %8s %8s %8s %6s %9s %5s %6s %8s %8s",
                "concurrency", "writes/s", "p50 ms", "p99 ms", "p999 ms", "max ms", "fails", "alloc MB/s",
                "GCs", "GC ms", "peak MiB", "live MiB");
    }

    String row() {
        return String.format("%-11d %10.0f %8.3f %8.3f %8.3f %8.1f %6d %9.0f %5d %6d %8d %8d",
                concurrency, writesPerSecond, p50Millis, p99Millis, p999Millis, maxMillis, failures,
                allocMibPerSecond, gcCount, gcMillis, peakHeapMib, liveHeapMib);
    }
}
