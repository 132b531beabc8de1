package io.flotilla.bench.driver;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Closed-loop clients: each keeps exactly one command outstanding and proposes the next one when the previous
 * completes, so {@code concurrency} commands are in flight at all times. A level is a warm-up, then a measured
 * window whose per-command latencies (propose to applied-on-leader) go to an HdrHistogram, then a drain.
 *
 * <p>Threading: the clients run on the systems' completion threads; one scheduler thread re-issues failed commands
 * after 1 ms (a failed proposal is retried, never dropped, and counted). Not reusable across levels.
 */
final class ClosedLoop {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final BenchCluster cluster;
    private final Recorder recorder = new Recorder(3_600_000_000_000L, 3);
    private final LongAdder failures = new LongAdder();
    private final java.util.Map<String, LongAdder> failureKinds = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong inFlight = new AtomicLong();
    private final ScheduledExecutorService retries;
    private volatile boolean running = true;

    private ClosedLoop(BenchCluster cluster) {
        this.cluster = cluster;
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-retry");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs one level: warm-up, measured window, drain.
     *
     * @param cluster the system
     * @param concurrency clients
     * @param commandBytes size of each command
     * @param warmupSeconds warm-up
     * @param measureSeconds measured window
     * @return the window's figures
     * @throws InterruptedException if interrupted
     */
    static LevelResult run(BenchCluster cluster, int concurrency, int commandBytes, int warmupSeconds,
            int measureSeconds) throws InterruptedException {
        ClosedLoop loop = new ClosedLoop(cluster);
        try {
            return loop.level(concurrency, commandBytes, warmupSeconds, measureSeconds);
        } finally {
            loop.retries.shutdownNow();
        }
    }

    private LevelResult level(int concurrency, int commandBytes, int warmupSeconds, int measureSeconds)
            throws InterruptedException {
        for (int c = 0; c < concurrency; c++) {
            byte[] command = new byte[commandBytes];
            ThreadLocalRandom.current().nextBytes(command);
            for (int i = 0; i < 8; i++) {
                command[i] = (byte) (c >>> (56 - 8 * i));
            }
            inFlight.incrementAndGet();
            issue(command);
        }
        Thread.sleep(warmupSeconds * 1000L);
        long failuresBefore = failures.sum();
        recorder.getIntervalHistogram(); // discards the warm-up
        JvmStats before = JvmStats.snapshot();
        long start = System.nanoTime();
        long end = start + measureSeconds * NANOS_PER_SECOND;
        long peakHeap = 0;
        while (System.nanoTime() < end) {
            peakHeap = Math.max(peakHeap, JvmStats.snapshot().heapUsed());
            Thread.sleep(Math.max(1, Math.min(50, (end - System.nanoTime()) / 1_000_000)));
        }
        Histogram window = recorder.getIntervalHistogram();
        double seconds = (System.nanoTime() - start) / (double) NANOS_PER_SECOND;
        JvmStats after = JvmStats.snapshot();
        long windowFailures = failures.sum() - failuresBefore;
        running = false;
        long drainDeadline = System.nanoTime() + 60 * NANOS_PER_SECOND;
        while (inFlight.get() > 0) {
            if (System.nanoTime() > drainDeadline) {
                throw new IllegalStateException(inFlight.get() + " commands still in flight 60 s after the window");
            }
            Thread.sleep(2);
        }
        long live = JvmStats.liveHeapAfterGc();
        if (!failureKinds.isEmpty()) {
            System.out.println("  failed proposals (retried after 1 ms), whole level: " + failureKinds);
        }
        return LevelResult.of(cluster.describe(), concurrency, window, seconds, windowFailures, before, after,
                peakHeap, live);
    }

    private void issue(byte[] command) {
        if (!running) {
            inFlight.decrementAndGet();
            return;
        }
        long t0 = System.nanoTime();
        cluster.propose(command, failure -> {
            if (failure == null) {
                recorder.recordValue(System.nanoTime() - t0);
                issue(command);
            } else {
                failures.increment();
                Throwable cause = failure instanceof java.util.concurrent.CompletionException
                        && failure.getCause() != null ? failure.getCause() : failure;
                failureKinds.computeIfAbsent(cause.getClass().getSimpleName(), k -> new LongAdder()).increment();
                retries.schedule(() -> issue(command), 1, TimeUnit.MILLISECONDS);
            }
        });
    }
}
