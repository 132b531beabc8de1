package io.flotilla.examples.kv.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Three key-value nodes as child processes of this JVM, on the same module path ({@code java -p ... -m
 * io.flotilla.examples.kv/io.flotilla.examples.kv.KvNode}), each with its own data directory and log file under
 * one directory.
 *
 * <p><b>Threading:</b> {@link #start}, {@link #kill} and {@link #close} from one thread; {@link #status} and
 * {@link #httpAddress} from any. <b>Failure:</b> a node that does not report ready in time, or exits, fails
 * {@link #start} with an {@link IOException} carrying the end of its log.
 */
final class LocalCluster implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration READY_WAIT = Duration.ofSeconds(60);

    /** One member's fixed addresses. */
    record Member(String id, int raftPort, int httpPort) {
        URI raft() {
            return URI.create("grpc://127.0.0.1:" + raftPort);
        }

        URI http() {
            return URI.create("http://127.0.0.1:" + httpPort);
        }
    }

    /** A node's view of the cluster, from its {@code /status}. */
    record NodeStatus(String id, String role, long term, Optional<String> leader, long commitIndex, long appliedIndex) {}

    private final Path dir;
    private final List<Member> members = new ArrayList<>();
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Map<String, Long> logOffsets = new LinkedHashMap<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofMillis(500)).build();

    LocalCluster(Path dir, int size) throws IOException {
        this.dir = dir;
        List<Integer> ports = freePorts(2 * size);
        for (int i = 0; i < size; i++) {
            members.add(new Member("n" + (i + 1), ports.get(2 * i), ports.get(2 * i + 1)));
        }
    }

    List<Member> members() {
        return members;
    }

    Path dir() {
        return dir;
    }

    URI httpAddress(String id) {
        return member(id).http();
    }

    Optional<Long> pid(String id) {
        Process p = processes.get(id);
        return p == null ? Optional.empty() : Optional.of(p.pid());
    }

    boolean isRunning(String id) {
        Process p = processes.get(id);
        return p != null && p.isAlive();
    }

    private Member member(String id) {
        return members.stream().filter(m -> m.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no member " + id));
    }

    /** Starts every node, then waits for each to report ready. */
    void startAll() throws IOException, InterruptedException {
        for (Member m : members) {
            launch(m);
        }
        for (Member m : members) {
            awaitReady(m);
        }
    }

    /** Starts (or restarts, on its existing data) one node and waits until it is ready. */
    void start(String id) throws IOException, InterruptedException {
        Member m = member(id);
        launch(m);
        awaitReady(m);
    }

    private void launch(Member m) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 24) {
            cmd.add("--enable-native-access=io.grpc.netty.shaded");
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        cmd.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-p", modulePath(), "-m", "io.flotilla.examples.kv/io.flotilla.examples.kv.KvNode",
                "--id", m.id(), "--data", dir.resolve(m.id()).toString()));
        for (Member peer : members) {
            cmd.add("--member");
            cmd.add(peer.id() + "," + peer.raft() + "," + peer.http());
        }
        Path log = log(m.id());
        logOffsets.put(m.id(), Files.exists(log) ? Files.size(log) : 0L);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        processes.put(m.id(), p);
    }

    Path log(String id) {
        return dir.resolve(id + ".log");
    }

    private void awaitReady(Member m) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY_WAIT.toNanos();
        Process p = processes.get(m.id());
        String marker = "READY " + m.id() + " ";
        long from = logOffsets.get(m.id()); // a restart appends to the same log: look only at what it wrote
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("node " + m.id() + " exited with status " + p.exitValue() + ":\n" + tail(m.id()));
            }
            try (var in = Files.newInputStream(log(m.id()))) {
                in.skipNBytes(from);
                if (new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).contains(marker)) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new IOException("node " + m.id() + " not ready within " + READY_WAIT.toSeconds() + " s:\n" + tail(m.id()));
    }

    String tail(String id) {
        try {
            List<String> lines = Files.readAllLines(log(id));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Kills a node's process at once (SIGKILL): no shutdown hook runs, as in a crash. */
    void kill(String id) throws InterruptedException {
        Process p = processes.get(id);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
    }

    /** Asks a node for its status; empty if it does not answer. */
    Optional<NodeStatus> status(String id) {
        try {
            HttpRequest r = HttpRequest.newBuilder(httpAddress(id).resolve("/status"))
                    .timeout(Duration.ofMillis(800)).GET().build();
            HttpResponse<String> resp = client.send(r, HttpResponse.BodyHandlers.ofString());
            JsonNode n = JSON.readTree(resp.body());
            return Optional.of(new NodeStatus(n.path("node").asText(), n.path("role").asText(), n.path("term").asLong(),
                    n.path("leader").isTextual() ? Optional.of(n.path("leader").asText()) : Optional.empty(),
                    n.path("commitIndex").asLong(), n.path("appliedIndex").asLong()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The leader with the highest term among the running nodes that answer, if any. */
    Optional<NodeStatus> leader() {
        return members.stream().filter(m -> isRunning(m.id())).map(m -> status(m.id())).flatMap(Optional::stream)
                .filter(s -> s.role().equals("LEADER")).max(Comparator.comparingLong(NodeStatus::term));
    }

    /** Stops every node with SIGTERM (a clean shutdown), then kills what has not exited after ten seconds. */
    @Override
    public void close() {
        processes.values().forEach(Process::destroy);
        for (Process p : processes.values()) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String modulePath() {
        String mp = System.getProperty("jdk.module.path");
        if (mp == null || mp.isEmpty()) {
            throw new IllegalStateException("run the demo on the module path (java -p ... -m ...), as ./demo does");
        }
        return mp;
    }

    /**
     * Free loopback ports below the kernel's ephemeral range, so a restarted node can bind its port again
     * (a port handed out as an ephemeral source port could be taken meanwhile).
     */
    static List<Integer> freePorts(int count) throws IOException {
        int upper = 32_768;
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            int low = Integer.parseInt(range.split("\\s+")[0]);
            upper = low > 21_000 ? low : 32_768;
        } catch (IOException | RuntimeException e) {
            // not Linux: assume the IANA range
        }
        SplittableRandom random = new SplittableRandom();
        List<Integer> ports = new ArrayList<>();
        for (int attempt = 0; ports.size() < count && attempt < 2000; attempt++) {
            int port = 20_000 + random.nextInt(upper - 20_000);
            if (ports.contains(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                ports.add(s.getLocalPort());
            } catch (IOException taken) {
                // try another
            }
        }
        if (ports.size() < count) {
            throw new IOException("could not find " + count + " free loopback ports");
        }
        return ports;
    }
}
