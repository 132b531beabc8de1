package io.flotilla.examples.kv.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The local cluster demo ({@code ./demo}): three key-value nodes as separate processes on the default backends
 * (gRPC transport on 127.0.0.1, file store under a temporary directory); a write workload with a progress line
 * each second; the leader's process killed (SIGKILL) mid-run; the re-election; every acknowledged write read back
 * linearizably; the killed node restarted from its data directory and caught up; then a clean stop.
 *
 * <pre>
 * ./demo [--keep-running] [--seconds N] [--clients N] [--dir PATH]
 * </pre>
 * {@code --seconds} is the write time before and after the kill (default 6); {@code --keep-running} leaves the
 * cluster up afterwards, printing how to use the CLI, until Ctrl-C. Exit status 0 when every acknowledged write
 * was read back, 1 otherwise, 2 on bad usage.
 */
public final class Demo {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Bound of every wait for the cluster: generous, for slow and busy machines (CI); never a speed claim. */
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private final PrintStream out;
    private final long startNanos = System.nanoTime();
    private final LocalCluster cluster;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private Demo(PrintStream out, LocalCluster cluster) {
        this.out = out;
        this.cluster = cluster;
    }

    /**
     * Runs the demo.
     *
     * @param args see the class documentation
     * @throws Exception if the demo itself breaks (not a failed check, which exits 1)
     */
    public static void main(String[] args) throws Exception {
        boolean keepRunning = false;
        int seconds = 6;
        int clients = 8;
        Path dir = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--keep-running" -> keepRunning = true;
                    case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                    case "--clients" -> clients = Integer.parseInt(args[++i]);
                    case "--dir" -> dir = Path.of(args[++i]);
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            if (seconds < 1 || clients < 1) {
                throw new IllegalArgumentException("--seconds and --clients must be at least 1");
            }
        } catch (RuntimeException e) {
            System.err.println("demo: " + e.getMessage());
            System.err.println("usage: ./demo [--keep-running] [--seconds N] [--clients N] [--dir PATH]");
            System.exit(2);
        }
        boolean temporary = dir == null;
        Path data = temporary ? Files.createTempDirectory("flotilla-demo-") : Files.createDirectories(dir);
        LocalCluster cluster = new LocalCluster(data, 3);
        Thread stopper = new Thread(() -> {
            cluster.close();
            if (temporary) {
                deleteTree(data);
            }
        }, "demo-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        int status = new Demo(System.out, cluster).run(seconds, clients, keepRunning);
        if (keepRunning && status == 0) {
            Thread.currentThread().join(); // until Ctrl-C; the hook stops the cluster
        }
        System.exit(status);
    }

    private int run(int seconds, int clients, boolean keepRunning) throws Exception {
        out.println("Flotilla demo: a 3-node replicated key-value store, one process per node");
        out.println("  transport gRPC on 127.0.0.1, file store under " + cluster.dir());
        cluster.startAll();
        for (LocalCluster.Member m : cluster.members()) {
            out.printf("  %s  raft %s  api %s  pid %d  log %s%n", m.id(), m.raft(), m.http(),
                    cluster.pid(m.id()).orElse(-1L), cluster.log(m.id()).getFileName());
        }
        LocalCluster.NodeStatus leader = awaitLeader(Optional.empty(), PATIENCE);
        say("leader elected: " + leader.id() + " (term " + leader.term() + ")");

        out.printf("%nPhase 1 — %d clients write unique keys through all three nodes for %d s%n", clients, seconds);
        try (Workload load = new Workload(clients, this::liveHttpAddresses)) {
            progress(load, seconds);

            String victim = cluster.leader().map(LocalCluster.NodeStatus::id).orElse(leader.id());
            long killedAt = System.nanoTime();
            long before = load.acknowledged().size();
            out.printf("%nPhase 2 — kill -9 the leader %s (pid %d) while the clients keep writing%n", victim,
                    cluster.pid(victim).orElse(-1L));
            cluster.kill(victim);
            LocalCluster.NodeStatus next = awaitLeader(Optional.of(victim), PATIENCE);
            say(String.format(Locale.ROOT, "new leader %s in term %d, %.2f s after the kill", next.id(), next.term(),
                    (System.nanoTime() - killedAt) / 1e9));
            progress(load, seconds);
            load.close();
            say(String.format(Locale.ROOT, "writes acknowledged: %d (%d before the kill), failed or unknown: %d",
                    load.acknowledged().size(), before, load.failures()));

            out.printf("%nPhase 3 — read back every acknowledged write (linearizable reads through the survivors)%n");
            long missing = verify(load.acknowledged());
            if (missing > 0) {
                say("FAILED: " + missing + " acknowledged writes are missing or wrong");
                return 1;
            }
            say("all " + load.acknowledged().size() + " acknowledged writes are readable with their values ✓");

            out.printf("%nPhase 4 — restart %s from its data directory; it catches up from the leader%n", victim);
            long target = cluster.leader().map(LocalCluster.NodeStatus::commitIndex).orElse(0L);
            long restartAt = System.nanoTime();
            cluster.start(victim);
            if (!awaitApplied(victim, target, PATIENCE)) {
                say("FAILED: " + victim + " did not catch up to index " + target);
                return 1;
            }
            say(String.format(Locale.ROOT, "%s is back and has applied everything up to index %d, %.2f s after the"
                    + " restart began (JVM start included) ✓", victim, target, (System.nanoTime() - restartAt) / 1e9));
        }
        if (keepRunning) {
            printUsage();
        } else {
            out.printf("%nStopping the cluster (SIGTERM, clean shutdown)… ");
            cluster.close();
            out.printf("done in %.1f s total.%n", (System.nanoTime() - startNanos) / 1e9);
        }
        return 0;
    }

    private void progress(Workload load, int seconds) throws InterruptedException {
        for (int s = 0; s < seconds; s++) {
            Thread.sleep(1000); // the progress line's period, not a correctness wait
            Workload.Interval i = load.drainInterval();
            Optional<LocalCluster.NodeStatus> leader = cluster.leader();
            say(String.format(Locale.ROOT, "%6d writes/s  p50 %6.1f ms  p99 %6.1f ms  failed %4d  acked %7d  leader %-3s term %d",
                    i.writes(), i.p50Millis(), i.p99Millis(), i.failures(), load.acknowledged().size(),
                    leader.map(LocalCluster.NodeStatus::id).orElse("-"),
                    leader.map(LocalCluster.NodeStatus::term).orElse(0L)));
        }
    }

    private List<URI> liveHttpAddresses() {
        List<URI> live = new ArrayList<>();
        for (LocalCluster.Member m : cluster.members()) {
            if (cluster.isRunning(m.id())) {
                live.add(m.http());
            }
        }
        return live;
    }

    private LocalCluster.NodeStatus awaitLeader(Optional<String> not, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<LocalCluster.NodeStatus> l = cluster.leader().filter(s -> not.map(n -> !n.equals(s.id())).orElse(true));
            if (l.isPresent()) {
                return l.get();
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("no leader within " + wait.toSeconds() + " s");
    }

    private boolean awaitApplied(String id, long index, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            if (cluster.status(id).map(s -> s.appliedIndex() >= index).orElse(false)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** Reads every acknowledged key through the running nodes; returns how many are missing or wrong. */
    private long verify(Map<String, String> acknowledged) throws Exception {
        List<URI> nodes = liveHttpAddresses();
        List<Map.Entry<String, String>> entries = new ArrayList<>(acknowledged.entrySet());
        entries.sort(Map.Entry.comparingByKey(Comparator.naturalOrder()));
        AtomicLong bad = new AtomicLong();
        AtomicLong shown = new AtomicLong();
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                parts.add(pool.submit(() -> {
                    for (int i = first; i < entries.size(); i += threads) {
                        Map.Entry<String, String> e = entries.get(i);
                        Optional<String> got = read(nodes.get(i % nodes.size()), e.getKey());
                        if (!got.equals(Optional.of(e.getValue()))) {
                            bad.incrementAndGet();
                            if (shown.incrementAndGet() <= 5) {
                                say("  " + e.getKey() + ": acknowledged " + e.getValue() + ", read " + got.orElse("(missing)"));
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : parts) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return bad.get();
    }

    private Optional<String> read(URI node, String key) throws IOException, InterruptedException {
        URI uri = node.resolve("/kv/" + URLEncoder.encode(key, StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                JsonNode n = JSON.readTree(r.body());
                return Optional.of(n.path("value").asText());
            } else if (r.statusCode() == 404) {
                return Optional.empty();
            } else if (System.nanoTime() > deadline) {
                throw new IOException("reading " + key + ": " + r.statusCode() + " " + r.body());
            }
            Thread.sleep(100); // 503 while a leader is being elected: retry
        }
    }

    private void printUsage() {
        StringBuilder servers = new StringBuilder();
        for (LocalCluster.Member m : cluster.members()) {
            servers.append(servers.length() == 0 ? "" : ",").append(m.http());
        }
        out.printf("%nThe cluster keeps running (data in %s). Talk to it with the CLI:%n", cluster.dir());
        out.printf("  export KV_SERVERS=%s%n", servers);
        out.println("  ./demo kv put greeting hello");
        out.println("  ./demo kv get greeting");
        out.println("  ./demo kv cas greeting hello bonjour");
        out.println("  ./demo kv delete greeting");
        out.println("  ./demo kv status");
        out.println("or with curl:  curl -X PUT -d '{\"value\":\"hello\"}' " + cluster.members().get(0).http() + "/kv/greeting");
        out.println("Press Ctrl-C to stop the cluster.");
    }

    private void say(String line) {
        out.printf(Locale.ROOT, "[%5.1fs] %s%n", (System.nanoTime() - startNanos) / 1e9, line);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: it is a temporary directory
        }
    }
}
