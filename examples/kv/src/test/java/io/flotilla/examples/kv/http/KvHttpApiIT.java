package io.flotilla.examples.kv.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.ClusterConfig;
import io.flotilla.ClusterId;
import io.flotilla.NodeId;
import io.flotilla.RaftConfig;
import io.flotilla.RaftNode;
import io.flotilla.Role;
import io.flotilla.core.Raft;
import io.flotilla.examples.kv.KvStateMachine;
import io.flotilla.testkit.TestPorts;
import io.flotilla.testkit.mem.MemNetwork;
import io.flotilla.testkit.mem.MemStorage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP API of three real nodes (real threads and sockets, in-memory Raft network and storage): forwarding from
 * followers, compare-and-set, deletes, every kind of bad request, concurrent writers, and a lost quorum.
 */
class KvHttpApiIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final ClusterId cluster = ClusterId.of("kv-http-it");
    private final MemNetwork network = MemNetwork.create();
    private final Map<NodeId, RaftNode> nodes = new TreeMap<>();
    private final Map<NodeId, KvHttpServer> servers = new TreeMap<>();
    private final Map<NodeId, URI> http = new TreeMap<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void startCluster() throws IOException {
        Map<NodeId, URI> raft = new TreeMap<>();
        for (int i = 1; i <= 3; i++) {
            NodeId id = NodeId.of("n" + i);
            raft.put(id, URI.create("mem://n" + i));
            http.put(id, URI.create("http://127.0.0.1:" + TestPorts.freeStablePort()));
        }
        RaftConfig tuning = RaftConfig.newBuilder().tickInterval(Duration.ofMillis(10)).electionTicks(20)
                .heartbeatTicks(3).build();
        for (NodeId id : raft.keySet()) {
            RaftNode node = Raft.newBuilder().clusterId(cluster).nodeId(id)
                    .initialConfig(ClusterConfig.ofVoters(raft)).config(tuning)
                    .stateMachine(new KvStateMachine())
                    .transport(network.transport(cluster, id)).storage(MemStorage.create(id)).build();
            node.start();
            nodes.put(id, node);
            URI own = http.get(id);
            servers.put(id, KvHttpServer.start(node, new InetSocketAddress(own.getHost(), own.getPort()), http,
                    Duration.ofSeconds(3)));
        }
    }

    @AfterEach
    void stopCluster() {
        servers.values().forEach(KvHttpServer::close);
        nodes.values().forEach(RaftNode::close);
        network.close();
    }

    @Test
    void writesOnFollowers_areForwarded_andReadsAreLinearizable() throws Exception {
        NodeId leader = awaitLeader();
        NodeId follower = http.keySet().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        HttpResponse<String> put = call(follower, "PUT", "/kv/greeting", "{\"value\":\"hello\"}");
        assertEquals(200, put.statusCode(), put.body());
        assertEquals(leader.value(), put.headers().firstValue(KvHttpServer.SERVED_BY).orElseThrow());
        long version = json(put).get("version").asLong();
        for (NodeId id : http.keySet()) { // a read through any node sees the acknowledged write
            JsonNode got = json(call(id, "GET", "/kv/greeting", null));
            assertEquals("hello", got.get("value").asText());
            assertEquals(version, got.get("version").asLong());
        }
        assertEquals(200, call(follower, "PUT", "/kv/a%2Fb%20c", "{\"value\":\"ünïcode ✓\"}").statusCode());
        assertEquals("ünïcode ✓", json(call(leader, "GET", "/kv/a%2Fb%20c", null)).get("value").asText());
    }

    @Test
    void compareAndSet_andDelete() throws Exception {
        NodeId any = awaitLeader();
        assertEquals(200, call(any, "POST", "/cas/lock", "{\"expected\":null,\"value\":\"alice\"}").statusCode());
        HttpResponse<String> taken = call(any, "POST", "/cas/lock", "{\"expected\":null,\"value\":\"bob\"}");
        assertEquals(409, taken.statusCode());
        assertEquals("cas_mismatch", json(taken).get("error").asText());
        assertEquals("alice", json(taken).get("current").asText());
        HttpResponse<String> wrong = call(any, "POST", "/cas/lock", "{\"expected\":\"carol\",\"value\":\"bob\"}");
        assertEquals(409, wrong.statusCode());
        assertEquals(200, call(any, "POST", "/cas/lock", "{\"expected\":\"alice\",\"value\":\"bob\"}").statusCode());
        assertEquals("bob", json(call(any, "GET", "/kv/lock", null)).get("value").asText());
        HttpResponse<String> del = call(any, "DELETE", "/kv/lock", null);
        assertEquals(200, del.statusCode());
        assertTrue(json(del).get("deleted").asBoolean());
        assertEquals("not_found", json(call(any, "DELETE", "/kv/lock", null)).get("error").asText());
        HttpResponse<String> gone = call(any, "GET", "/kv/lock", null);
        assertEquals(404, gone.statusCode());
        assertTrue(json(gone).get("message").asText().contains("lock"), gone.body());
        HttpResponse<String> absent = call(any, "POST", "/cas/lock", "{\"expected\":\"bob\",\"value\":\"x\"}");
        assertEquals(409, absent.statusCode());
        assertTrue(json(absent).get("current").isNull());
    }

    @Test
    void badRequests_get4xxWithAReason_loseNothing_andTheServerKeepsServing() throws Exception {
        NodeId leader = awaitLeader();
        NodeId follower = http.keySet().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        assertEquals(200, call(follower, "PUT", "/kv/keep", "{\"value\":\"safe\"}").statusCode());
        String huge = "{\"value\":\"" + "x".repeat(KvHttpServer.MAX_BODY_BYTES) + "\"}";
        Object[][] cases = {
            {"PUT", "/kv/k", "{\"value\": ", 400, "bad_json"},
            {"PUT", "/kv/k", "not json at all", 400, "bad_json"},
            {"PUT", "/kv/k", "[1,2]", 400, "bad_json"},
            {"PUT", "/kv/k", "", 400, "bad_json"},
            {"PUT", "/kv/k", "{}", 400, "bad_request"},
            {"PUT", "/kv/k", "{\"value\": 42}", 400, "bad_request"},
            {"PUT", "/kv/k", "{\"value\": null}", 400, "bad_request"},
            {"PUT", "/kv/k", "{\"value\": \"v\", \"ttl\": 3}", 400, "bad_request"},
            {"POST", "/cas/k", "{\"value\": \"v\"}", 400, "bad_request"},
            {"POST", "/cas/k", "{\"expected\": [], \"value\": \"v\"}", 400, "bad_request"},
            {"PUT", "/kv/" + "k".repeat(2000), "{\"value\":\"v\"}", 400, "bad_key"},
            {"GET", "/kv/", null, 400, "bad_key"},
            {"PUT", "/kv/k", huge, 413, "too_large"},
            {"POST", "/kv/k", "{\"value\":\"v\"}", 405, "method_not_allowed"},
            {"GET", "/cas/k", null, 405, "method_not_allowed"},
            {"DELETE", "/status", null, 405, "method_not_allowed"},
            {"GET", "/nothing/here", null, 404, "no_such_endpoint"},
        };
        for (int round = 0; round < 2; round++) {
            for (NodeId target : List.of(follower, leader)) {
                for (Object[] c : cases) {
                    HttpResponse<String> r = call(target, (String) c[0], (String) c[1], (String) c[2]);
                    String what = c[0] + " " + c[1] + " " + c[2];
                    assertEquals(c[3], r.statusCode(), what + " -> " + r.body());
                    JsonNode body = json(r);
                    assertEquals(c[4], body.get("error").asText(), what);
                    assertTrue(body.get("message").asText().length() > 5, what + " has no reason: " + r.body());
                }
            }
        }
        assertEquals("GET, PUT, DELETE",
                call(leader, "POST", "/kv/k", "{}").headers().firstValue("Allow").orElseThrow());
        assertEquals("safe", json(call(follower, "GET", "/kv/keep", null)).get("value").asText());
        assertEquals(404, call(leader, "GET", "/kv/k", null).statusCode());
        assertEquals(200, call(follower, "PUT", "/kv/after", "{\"value\":\"still serving\"}").statusCode());
    }

    @Test
    void concurrentWriters_throughEveryNode_everyAcknowledgedWriteIsReadable() throws Exception {
        awaitLeader();
        List<NodeId> ids = new ArrayList<>(http.keySet());
        Map<String, String> acked = new ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicInteger retries = new java.util.concurrent.atomic.AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                int worker = w;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        String key = "w" + worker + "-" + i;
                        String value = "v" + (worker * 1000 + i);
                        // As a client does: a 503 (no leader right now) or 504 is retried; a PUT of the same value
                        // is idempotent. On a starved CI machine an election can happen mid-test.
                        HttpResponse<String> r = call(ids.get((worker + i) % 3), "PUT", "/kv/" + key,
                                "{\"value\":\"" + value + "\"}");
                        for (int attempt = 0; attempt < 50 && (r.statusCode() == 503 || r.statusCode() == 504);
                                attempt++) {
                            retries.incrementAndGet();
                            Thread.sleep(50); // pacing only; the assertion below does not depend on timing
                            r = call(ids.get((worker + i + attempt + 1) % 3), "PUT", "/kv/" + key,
                                    "{\"value\":\"" + value + "\"}");
                        }
                        if (r.statusCode() == 200) {
                            acked.put(key, value);
                        } else {
                            System.out.println("write " + key + " refused: " + r.statusCode() + " " + r.body());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.println("concurrent writers: " + acked.size() + " acknowledged, " + retries + " retries after 503/504");
        assertEquals(320, acked.size(), "the cluster acknowledges every write (retried as a client would)");
        for (Map.Entry<String, String> e : acked.entrySet()) {
            assertEquals(e.getValue(), json(call(ids.get(e.getKey().hashCode() & 1), "GET", "/kv/" + e.getKey(), null))
                    .get("value").asText());
        }
    }

    @Test
    void lostQuorum_answers503Or504WithAReason_andRecovers() throws Exception {
        NodeId leader = awaitLeader();
        NodeId survivor = http.keySet().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        for (NodeId id : http.keySet()) {
            if (!id.equals(survivor)) {
                network.isolate(id);
            }
        }
        network.isolate(survivor);
        HttpResponse<String> r = call(survivor, "PUT", "/kv/x", "{\"value\":\"y\"}");
        assertTrue(r.statusCode() == 503 || r.statusCode() == 504, r.statusCode() + " " + r.body());
        JsonNode body = json(r);
        assertTrue(body.get("message").asText().length() > 10, r.body());
        assertTrue(r.headers().firstValue("Retry-After").isPresent(), r.body());
        network.heal();
        awaitLeader();
        long deadline = System.nanoTime() + WAIT.toNanos();
        int status;
        do {
            status = call(survivor, "PUT", "/kv/x", "{\"value\":\"y\"}").statusCode();
        } while (status != 200 && System.nanoTime() < deadline);
        assertEquals(200, status);
    }

    @Test
    void cli_putGetCasDeleteStatus() throws Exception {
        awaitLeader();
        String servers = http.values().stream().map(URI::toString).collect(java.util.stream.Collectors.joining(","));
        assertEquals(0, cli(servers, "put", "city", "Lisbon").code());
        Cli get = cli(servers, "get", "city");
        assertEquals(0, get.code());
        assertTrue(get.out().contains("\"value\" : \"Lisbon\""), get.out());
        assertEquals(1, cli(servers, "cas", "city", "Paris", "Rome").code());
        assertEquals(0, cli(servers, "cas", "city", "Lisbon", "Porto").code());
        assertEquals(1, cli(servers, "cas", "other", "x", "y").code());
        assertEquals(0, cli(servers, "cas", "other", "--absent", "y").code());
        assertEquals(0, cli(servers, "delete", "city").code());
        Cli missing = cli(servers, "get", "city");
        assertEquals(1, missing.code());
        assertTrue(missing.out().contains("not_found"), missing.out());
        Cli status = cli(servers, "status");
        assertEquals(0, status.code());
        assertTrue(status.out().contains("\"role\" : \"LEADER\""), status.out());
        assertEquals(2, cli(servers, "frobnicate").code());
        assertEquals(2, cli(servers, "put", "only-key").code());
    }

    private record Cli(int code, String out) {}

    private static Cli cli(String servers, String... args) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream ps = new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8);
        String[] all = new String[args.length + 2];
        all[0] = "--server";
        all[1] = servers;
        System.arraycopy(args, 0, all, 2, args.length);
        int code = io.flotilla.examples.kv.cli.KvCli.run(all, ps, ps);
        return new Cli(code, out.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    private NodeId awaitLeader() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<NodeId> leader = nodes.values().stream().filter(n -> n.status().role() == Role.LEADER)
                    .map(RaftNode::id).findFirst();
            if (leader.isPresent()) {
                return leader.get();
            }
            Thread.sleep(20); // polling with a deadline, not an assertion
        }
        throw new AssertionError("no leader within " + WAIT);
    }

    private HttpResponse<String> call(NodeId node, String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(http.get(node).resolve(path)).timeout(Duration.ofSeconds(20));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return Reply.JSON.readTree(r.body());
    }
}
