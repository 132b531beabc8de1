package io.flotilla.examples.kv.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.flotilla.NodeId;
import io.flotilla.NotLeaderException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Forwards a request that reached a follower to the leader's API, once: the forwarded request carries
 * {@link KvHttpServer#FORWARDED_BY} and a node receiving it never forwards again, so two nodes with stale views of
 * the leader cannot bounce a request between them.
 *
 * <p><b>Threading:</b> thread-safe. <b>Failure:</b> an unreachable leader becomes a 503 {@code leader_unreachable}
 * reply; for a write it says that the outcome is unknown, since the leader may have received it.
 */
final class LeaderForwarder implements AutoCloseable {
    private final NodeId self;
    private final Map<NodeId, URI> httpAddresses;
    private final Duration timeout;
    private final HttpClient client;

    LeaderForwarder(NodeId self, Map<NodeId, URI> httpAddresses, Duration timeout) {
        this.self = self;
        this.httpAddresses = httpAddresses;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
    }

    URI addressOf(NodeId id) {
        return httpAddresses.get(id);
    }

    /**
     * Answers a request whose local attempt failed: forwards it to the leader if the failure is "not the leader"
     * with a known leader and the request was not forwarded already; otherwise maps the failure to a reply.
     */
    CompletableFuture<Reply> forwardOrFail(HttpExchange ex, ObjectNode body, Throwable failure, boolean write) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (!(t instanceof NotLeaderException nle) || ex.getRequestHeaders().containsKey(KvHttpServer.FORWARDED_BY)) {
            return CompletableFuture.completedFuture(Reply.ofFailure(t, write));
        }
        Optional<NodeId> leader = nle.leaderHint().filter(id -> !id.equals(self));
        URI target = leader.map(httpAddresses::get).orElse(null);
        if (target == null) {
            return CompletableFuture.completedFuture(Reply.ofFailure(t, write));
        }
        URI uri = target.resolve(ex.getRequestURI().getRawPath());
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(toBytes(body));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .method(ex.getRequestMethod(), publisher)
                .header("Content-Type", "application/json")
                .header(KvHttpServer.FORWARDED_BY, self.value())
                .build();
        String leaderName = leader.get().value();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(LeaderForwarder::relay)
                .exceptionally(e -> Reply.unavailable("leader_unreachable", "forwarding to the leader " + leaderName
                        + " failed (" + rootMessage(e) + ")"
                        + (write ? "; the write may or may not have been applied" : "") + "; retry shortly"));
    }

    private static Reply relay(HttpResponse<byte[]> response) {
        Map<String, String> headers = new HashMap<>();
        response.headers().firstValue(KvHttpServer.SERVED_BY).ifPresent(v -> headers.put(KvHttpServer.SERVED_BY, v));
        response.headers().firstValue("Retry-After").ifPresent(v -> headers.put("Retry-After", v));
        response.headers().firstValue("Allow").ifPresent(v -> headers.put("Allow", v));
        try {
            JsonNode n = Reply.JSON.readTree(response.body());
            if (n instanceof ObjectNode obj) {
                return new Reply(response.statusCode(), obj, headers);
            }
        } catch (java.io.IOException e) {
            // fall through
        }
        return Reply.error(502, "bad_gateway", "the leader answered " + response.statusCode() + " without a JSON body");
    }

    private static byte[] toBytes(ObjectNode body) {
        try {
            return Reply.JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // a parsed tree always serializes
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() != null ? ": " + t.getMessage() : "");
    }

    @Override
    public void close() {
        // HttpClient.close() exists only since JDK 21; its threads are daemons and end with the process.
    }
}
