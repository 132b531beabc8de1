package io.flotilla.examples.kv.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Command-line client of the key-value API.
 *
 * <pre>
 * kv [--server http://127.0.0.1:8001[,http://...]] put KEY VALUE
 * kv [--server ...] get KEY
 * kv [--server ...] delete KEY
 * kv [--server ...] cas KEY EXPECTED NEW        (EXPECTED may be --absent: only if the key does not exist)
 * kv [--server ...] status
 * </pre>
 * The servers default to {@code $KV_SERVERS}, then {@code http://127.0.0.1:8001}. Any node will do: followers
 * forward to the leader. A server that cannot be reached, or answers 503 (no leader yet), is retried on the
 * next one for up to ten seconds. Prints the answer; exit status 0 on success, 1 when the key is missing, a
 * compare-and-set fails or the cluster cannot answer, 2 on bad usage.
 */
public final class KvCli {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<URI> servers;
    private final PrintStream out;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    KvCli(List<URI> servers, PrintStream out) {
        this.servers = servers;
        this.out = out;
    }

    /**
     * Runs one command and exits with its status.
     *
     * @param args see the class documentation
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs one command.
     *
     * @param args see the class documentation
     * @param out where answers go
     * @param err where usage and errors go
     * @return the exit status
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        String serverList = System.getenv().getOrDefault("KV_SERVERS", "http://127.0.0.1:8001");
        if (rest.size() >= 2 && rest.get(0).equals("--server")) {
            serverList = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        List<URI> servers = new ArrayList<>();
        for (String s : serverList.split(",")) {
            servers.add(URI.create(s.trim()));
        }
        try {
            return new KvCli(servers, out).execute(rest);
        } catch (IllegalArgumentException e) {
            err.println("kv: " + e.getMessage());
            err.println("usage: kv [--server URL[,URL...]] put KEY VALUE | get KEY | delete KEY"
                    + " | cas KEY EXPECTED|--absent NEW | status");
            return 2;
        } catch (IOException e) {
            err.println("kv: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    int execute(List<String> args) throws IOException, InterruptedException {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("no command");
        }
        String cmd = args.get(0);
        switch (cmd) {
            case "put" -> {
                arity(args, 3);
                ObjectNode body = JSON.createObjectNode().put("value", args.get(2));
                return print(send("PUT", "/kv/" + encode(args.get(1)), body));
            }
            case "get" -> {
                arity(args, 2);
                return print(send("GET", "/kv/" + encode(args.get(1)), null));
            }
            case "delete" -> {
                arity(args, 2);
                return print(send("DELETE", "/kv/" + encode(args.get(1)), null));
            }
            case "cas" -> {
                arity(args, 4);
                ObjectNode body = JSON.createObjectNode();
                if (args.get(2).equals("--absent")) {
                    body.putNull("expected");
                } else {
                    body.put("expected", args.get(2));
                }
                body.put("value", args.get(3));
                return print(send("POST", "/cas/" + encode(args.get(1)), body));
            }
            case "status" -> {
                arity(args, 1);
                int worst = 0;
                for (URI server : servers) {
                    try {
                        worst = Math.max(worst, print(request(server, "GET", "/status", null)));
                    } catch (IOException e) {
                        out.println(server + " unreachable: " + e.getMessage());
                        worst = 1;
                    }
                }
                return worst;
            }
            default -> throw new IllegalArgumentException("unknown command " + cmd);
        }
    }

    private static void arity(List<String> args, int n) {
        if (args.size() != n) {
            throw new IllegalArgumentException(args.get(0) + " takes " + (n - 1) + " argument(s)");
        }
    }

    private static String encode(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Tries each server in turn, for up to ten seconds, while they are unreachable or have no leader. */
    private HttpResponse<String> send(String method, String path, ObjectNode body)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        IOException lastError = null;
        HttpResponse<String> last = null;
        for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
            URI server = servers.get(attempt % servers.size());
            try {
                last = request(server, method, path, body);
                if (last.statusCode() != 503) {
                    return last;
                }
            } catch (IOException e) {
                lastError = e;
            }
            if (attempt % servers.size() == servers.size() - 1) {
                Thread.sleep(200); // back off once every server was tried
            }
        }
        if (last != null) {
            return last;
        }
        throw new IOException("no server answered: " + servers + " (" + lastError + ")");
    }

    private HttpResponse<String> request(URI server, String method, String path, ObjectNode body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private int print(HttpResponse<String> r) {
        String servedBy = r.headers().firstValue("X-Flotilla-Served-By").map(s -> "  (served by " + s + ")").orElse("");
        String text;
        try {
            JsonNode n = JSON.readTree(r.body());
            text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n);
        } catch (IOException e) {
            text = r.body();
        }
        out.println(r.statusCode() + servedBy);
        out.println(text);
        return r.statusCode() / 100 == 2 ? 0 : 1;
    }
}
