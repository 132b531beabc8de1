package io.flotilla.examples.kv.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.flotilla.Bytes;
import io.flotilla.NodeId;
import io.flotilla.RaftNode;
import io.flotilla.RaftStatus;
import io.flotilla.examples.kv.KvCommand;
import io.flotilla.examples.kv.KvResult;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client-facing JSON API of one key-value node, on the JDK's built-in HTTP server ({@code jdk.httpserver}).
 *
 * <h2>Endpoints</h2>
 * <pre>
 * GET    /kv/{key}                               200 {"key","value","version"} | 404 not_found
 * PUT    /kv/{key}   {"value": "..."}            200 {"key","version"}
 * DELETE /kv/{key}                               200 {"key","deleted":true,"version"} | 404 not_found
 * POST   /cas/{key}  {"expected": "..."|null, "value": "..."}
 *                                                200 {"key","version"} | 409 cas_mismatch {"current","version"}
 * GET    /status                                 200 {"node","role","term","leader","commitIndex",...}
 * </pre>
 * Keys are the rest of the path, percent-decoded (so {@code /kv/a%2Fb} is the key {@code a/b}). Reads are
 * linearizable ({@link RaftNode#read}). A request that reaches a follower is forwarded once to the leader's API
 * and the leader's answer is returned (header {@value #SERVED_BY} names the node that served it). Errors are
 * {@code {"error": code, "message": reason}}: 400 for bad JSON, unknown or mistyped fields and bad keys, 404, 405,
 * 413 for bodies over {@value #MAX_BODY_BYTES} bytes, 503 with {@code Retry-After} when there is no leader or
 * leadership was lost, 504 on timeout. A bad request changes nothing and the server keeps serving.
 *
 * <h2>Why jdk.httpserver</h2>
 * It ships with every JDK as a supported, exported module, so the example needs no web framework; it is
 * HTTP/1.1 only and plain, which suits a small client API on a trusted network. A production service would put
 * TLS and authentication in front of it, or use Jetty or Netty.
 *
 * <h2>Threading</h2>
 * Requests run on a bounded pool; a handler never blocks on the cluster: it chains on the node's futures and
 * answers from the pool. {@link #close()} stops the listener, waits briefly for exchanges in progress and does
 * not close the node.
 */
public final class KvHttpServer implements AutoCloseable {
    /** Largest accepted request body. */
    public static final int MAX_BODY_BYTES = 8 << 20;
    /** Response header naming the node whose state machine served the request. */
    public static final String SERVED_BY = "X-Flotilla-Served-By";
    /** Request header marking a request forwarded by a follower (never forwarded again). */
    public static final String FORWARDED_BY = "X-Flotilla-Forwarded-By";

    private static final Logger LOG = LoggerFactory.getLogger(KvHttpServer.class);

    private final RaftNode node;
    private final Duration timeout;
    private final HttpServer server;
    private final ExecutorService executor;
    private final LeaderForwarder forwarder;

    private KvHttpServer(RaftNode node, HttpServer server, ExecutorService executor, Map<NodeId, URI> httpAddresses,
            Duration timeout) {
        this.node = node;
        this.server = server;
        this.executor = executor;
        this.timeout = timeout;
        this.forwarder = new LeaderForwarder(node.id(), httpAddresses, timeout);
    }

    /**
     * Starts serving a node's key-value API.
     *
     * @param node the started node whose state machine is a {@code KvStateMachine}
     * @param bind where to listen; port 0 picks a free port
     * @param httpAddresses every member's API address, to forward requests to the leader; may be empty
     * @param timeout how long a request may wait for the cluster
     * @return the running server
     * @throws IOException if the address cannot be bound
     */
    public static KvHttpServer start(RaftNode node, InetSocketAddress bind, Map<NodeId, URI> httpAddresses,
            Duration timeout) throws IOException {
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "kv-http-" + node.id().value() + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        HttpServer server = HttpServer.create(bind, 256);
        KvHttpServer kv = new KvHttpServer(node, server, pool, Map.copyOf(httpAddresses), timeout);
        server.setExecutor(pool);
        server.createContext("/", kv::handle);
        server.start();
        LOG.info("node {} serves its key-value API on {}", node.id().value(), kv.address());
        return kv;
    }

    /**
     * Returns the address the server listens on.
     *
     * @return an {@code http://host:port} URI
     */
    public URI address() {
        InetSocketAddress a = server.getAddress();
        return URI.create("http://" + a.getHostString() + ":" + a.getPort());
    }

    private void handle(HttpExchange ex) {
        CompletableFuture<Reply> reply;
        try {
            reply = dispatch(ex);
        } catch (BadRequest e) {
            reply = CompletableFuture.completedFuture(e.reply);
        } catch (RuntimeException | IOException e) {
            LOG.warn("request {} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
            reply = CompletableFuture.completedFuture(Reply.error(500, "internal", String.valueOf(e)));
        }
        reply.whenCompleteAsync((r, t) -> send(ex, r != null ? r : Reply.ofFailure(t, false)), executor);
    }

    private CompletableFuture<Reply> dispatch(HttpExchange ex) throws BadRequest, IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        if (path == null) {
            throw new BadRequest(Reply.error(400, "bad_request", "unreadable request path"));
        }
        if (path.equals("/status")) {
            requireMethod(method, "GET");
            return CompletableFuture.completedFuture(Reply.ok(status()));
        }
        if (path.startsWith("/kv/")) {
            String key = key(path.substring("/kv/".length()));
            switch (method) {
                case "GET":
                    return read(ex, new KvCommand.Get(key), r -> found(key, r));
                case "PUT": {
                    ObjectNode body = object(ex, Set.of("value"));
                    Bytes value = string(body, "value", false).orElseThrow(() -> missing("value"));
                    return write(ex, body, new KvCommand.Put(key, value), r -> written(key, r));
                }
                case "DELETE":
                    return write(ex, null, new KvCommand.Delete(key), r -> deleted(key, r));
                default:
                    throw notAllowed("GET, PUT, DELETE");
            }
        }
        if (path.startsWith("/cas/")) {
            String key = key(path.substring("/cas/".length()));
            requireMethod(method, "POST");
            ObjectNode body = object(ex, Set.of("expected", "value"));
            if (!body.has("expected")) {
                throw missing("expected");
            }
            Optional<Bytes> expected = string(body, "expected", true);
            Bytes value = string(body, "value", false).orElseThrow(() -> missing("value"));
            return write(ex, body, new KvCommand.CompareAndSet(key, expected, value), r -> swapped(key, r));
        }
        throw new BadRequest(Reply.error(404, "no_such_endpoint",
                "no endpoint " + path + "; use /kv/{key}, /cas/{key} or /status"));
    }

    private CompletableFuture<Reply> read(HttpExchange ex, KvCommand query, Function<KvResult, Reply> answer) {
        return node.read(query.encode()).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(b -> answer.apply(KvResult.decode(b)))
                .exceptionallyCompose(t -> forwarder.forwardOrFail(ex, null, t, false));
    }

    private CompletableFuture<Reply> write(HttpExchange ex, ObjectNode body, KvCommand command,
            Function<KvResult, Reply> answer) {
        return node.propose(command.encode()).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(r -> answer.apply(KvResult.decode(r.value())))
                .exceptionallyCompose(t -> forwarder.forwardOrFail(ex, body, t, true));
    }

    private static Reply found(String key, KvResult r) {
        if (r.status() == KvResult.Status.NOT_FOUND) {
            return Reply.error(404, "not_found", "key '" + key + "' does not exist");
        }
        if (r.status() == KvResult.Status.INVALID) {
            return Reply.error(400, "bad_request", r.message());
        }
        ObjectNode n = Reply.JSON.createObjectNode();
        n.put("key", key);
        n.put("value", utf8(r.value().orElse(Bytes.EMPTY)));
        n.put("version", r.version());
        return Reply.ok(n);
    }

    private static Reply written(String key, KvResult r) {
        if (r.status() == KvResult.Status.INVALID) {
            return Reply.error(400, "bad_request", r.message());
        }
        ObjectNode n = Reply.JSON.createObjectNode();
        n.put("key", key);
        n.put("version", r.version());
        return Reply.ok(n);
    }

    private static Reply deleted(String key, KvResult r) {
        if (r.status() == KvResult.Status.NOT_FOUND) {
            return Reply.error(404, "not_found", "key '" + key + "' does not exist");
        }
        Reply w = written(key, r);
        if (w.status() == 200) {
            w.body().put("deleted", true);
        }
        return w;
    }

    private static Reply swapped(String key, KvResult r) {
        if (r.status() != KvResult.Status.CAS_MISMATCH) {
            return written(key, r);
        }
        ObjectNode n = Reply.errorBody("cas_mismatch", r.value().isPresent()
                ? "key '" + key + "' holds another value" : "key '" + key + "' does not exist");
        n.put("key", key);
        if (r.value().isPresent()) {
            n.put("current", utf8(r.value().get()));
        } else {
            n.putNull("current");
        }
        n.put("version", r.version());
        return new Reply(409, n, Map.of());
    }

    private ObjectNode status() {
        RaftStatus s = node.status();
        ObjectNode n = Reply.JSON.createObjectNode();
        n.put("node", s.self().value());
        n.put("role", s.role().name());
        n.put("term", s.term());
        if (s.leader().isPresent()) {
            n.put("leader", s.leader().get().value());
            URI http = forwarder.addressOf(s.leader().get());
            if (http != null) {
                n.put("leaderHttp", http.toString());
            }
        } else {
            n.putNull("leader");
        }
        n.put("commitIndex", s.commitIndex());
        n.put("appliedIndex", s.appliedIndex());
        n.put("lastLogIndex", s.lastLogIndex());
        n.put("snapshotIndex", s.snapshotIndex());
        if (s.failure().isPresent()) {
            n.put("failure", s.failure().get());
        }
        return n;
    }

    private static String key(String raw) throws BadRequest {
        try {
            KvCommand.checkKey(raw);
            return raw;
        } catch (IllegalArgumentException e) {
            throw new BadRequest(Reply.error(400, "bad_key", e.getMessage()));
        }
    }

    private static void requireMethod(String method, String allowed) throws BadRequest {
        if (!method.equals(allowed)) {
            throw notAllowed(allowed);
        }
    }

    private static BadRequest notAllowed(String allowed) {
        return new BadRequest(new Reply(405, Reply.errorBody("method_not_allowed", "allowed here: " + allowed),
                Map.of("Allow", allowed)));
    }

    private static BadRequest missing(String field) {
        return new BadRequest(Reply.error(400, "bad_request", "the body must have a field \"" + field + "\""));
    }

    /** Reads the body as one JSON object with no fields other than {@code allowed}. */
    private static ObjectNode object(HttpExchange ex, Set<String> allowed) throws BadRequest, IOException {
        byte[] body = ex.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            throw new BadRequest(Reply.error(413, "too_large", "the body is over " + MAX_BODY_BYTES + " bytes"));
        }
        if (body.length == 0) {
            throw new BadRequest(Reply.error(400, "bad_json", "the request needs a JSON object body"));
        }
        JsonNode tree;
        try {
            tree = Reply.JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequest(Reply.error(400, "bad_json", "the body is not valid JSON: " + e.getOriginalMessage()));
        }
        if (!(tree instanceof ObjectNode obj)) {
            throw new BadRequest(Reply.error(400, "bad_json", "the body must be a JSON object"));
        }
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new BadRequest(Reply.error(400, "bad_request",
                        "unknown field \"" + f + "\"; allowed: " + String.join(", ", new java.util.TreeSet<>(allowed))));
            }
        }
        return obj;
    }

    private static Optional<Bytes> string(ObjectNode body, String field, boolean nullable) throws BadRequest {
        JsonNode v = body.get(field);
        if (v == null || (v.isNull() && nullable)) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw new BadRequest(Reply.error(400, "bad_request", "field \"" + field + "\" must be a string"
                    + (nullable ? " or null" : "") + ", got " + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        Bytes b = Bytes.ofUtf8(v.textValue());
        if (b.size() > KvCommand.MAX_VALUE_BYTES) {
            throw new BadRequest(Reply.error(413, "too_large", "field \"" + field + "\" is " + b.size()
                    + " bytes, at most " + KvCommand.MAX_VALUE_BYTES + " allowed"));
        }
        return Optional.of(b);
    }

    private static String utf8(Bytes b) {
        return new String(b.toByteArray(), StandardCharsets.UTF_8);
    }

    private void send(HttpExchange ex, Reply reply) {
        try {
            byte[] bytes = Reply.JSON.writeValueAsBytes(reply.body());
            var h = ex.getResponseHeaders();
            h.set("Content-Type", "application/json; charset=utf-8");
            h.set(SERVED_BY, node.id().value());
            reply.headers().forEach(h::set); // a forwarded reply names the leader that served it
            ex.sendResponseHeaders(reply.status(), bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not answer {} {}: {}", ex.getRequestMethod(), ex.getRequestURI(), e.toString());
        } finally {
            ex.close();
        }
    }

    /** Stops listening (waiting up to one second for exchanges in progress) and stops the request pool. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
        forwarder.close();
    }

    /** A request rejected before reaching the cluster, with its reply. */
    static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;
        final transient Reply reply;

        BadRequest(Reply reply) {
            super(reply.body().path("message").asText(), null, false, false);
            this.reply = reply;
        }
    }
}
