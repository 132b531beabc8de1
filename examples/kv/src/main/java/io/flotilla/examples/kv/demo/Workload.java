package io.flotilla.examples.kv.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Closed-loop writers against the cluster's HTTP API: each writer puts unique keys one after another, through the
 * node the {@code target} supplier names, and remembers every write the cluster acknowledged (200). A write that
 * fails or times out is counted, not remembered: its outcome is unknown, and the check only demands that
 * acknowledged writes survive.
 *
 * <p><b>Threading:</b> writers run on their own threads; {@link #drainInterval()} and the counters may be read
 * from any thread.
 */
final class Workload implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Latencies and counts of the writes completed since the previous call. */
    record Interval(long writes, long failures, double p50Millis, double p99Millis) {}

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofMillis(500)).build();
    private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong intervalFailures = new AtomicLong();
    private final ExecutorService pool;
    private final List<Future<?>> writers = new ArrayList<>();
    private volatile boolean running = true;

    Workload(int clients, Supplier<List<URI>> targets) {
        pool = Executors.newFixedThreadPool(clients, r -> {
            Thread t = new Thread(r, "demo-writer");
            t.setDaemon(true);
            return t;
        });
        for (int c = 0; c < clients; c++) {
            int client = c;
            writers.add(pool.submit(() -> write(client, targets)));
        }
    }

    private void write(int clientId, Supplier<List<URI>> targets) {
        long seq = 0;
        while (running) {
            List<URI> nodes = targets.get();
            if (nodes.isEmpty()) {
                sleep(50);
                continue;
            }
            URI node = nodes.get((int) ((clientId + seq) % nodes.size()));
            String key = "demo-" + clientId + "-" + seq;
            String value = "value-" + seq + "-" + Long.toHexString(System.nanoTime());
            long start = System.nanoTime();
            boolean ok;
            try {
                ok = put(node, key, value) == 200;
            } catch (IOException e) {
                ok = false;
            } catch (InterruptedException e) {
                return;
            }
            if (ok) {
                acknowledged.put(key, value);
                latencies.add(System.nanoTime() - start);
            } else {
                failures.incrementAndGet();
                intervalFailures.incrementAndGet();
                sleep(20); // e.g. no leader during an election: back off a little
            }
            seq++;
        }
    }

    private int put(URI node, String key, String value) throws IOException, InterruptedException {
        byte[] body = JSON.writeValueAsBytes(JSON.createObjectNode().put("value", value));
        HttpRequest r = HttpRequest.newBuilder(node.resolve("/kv/" + URLEncoder.encode(key, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return client.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Returns and resets the statistics of the writes completed since the last call. */
    Interval drainInterval() {
        List<Long> sample = new ArrayList<>();
        Long l;
        while ((l = latencies.poll()) != null) {
            sample.add(l);
        }
        sample.sort(null);
        double p50 = sample.isEmpty() ? 0 : sample.get(sample.size() / 2) / 1e6;
        double p99 = sample.isEmpty() ? 0 : sample.get(Math.min(sample.size() - 1, (int) (sample.size() * 0.99))) / 1e6;
        return new Interval(sample.size(), intervalFailures.getAndSet(0), p50, p99);
    }

    Map<String, String> acknowledged() {
        return acknowledged;
    }

    long failures() {
        return failures.get();
    }

    /** Stops the writers and waits for the writes in flight to finish. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Future<?> f : writers) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("a writer failed", e.getCause());
            }
        }
        pool.shutdown();
    }
}
