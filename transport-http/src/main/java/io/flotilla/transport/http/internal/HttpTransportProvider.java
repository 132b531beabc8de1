package io.flotilla.transport.http.internal;

import io.flotilla.InvalidConfigException;
import io.flotilla.spi.Transport;
import io.flotilla.spi.TransportContext;
import io.flotilla.spi.TransportProvider;
import io.flotilla.transport.http.HttpTransportOptions;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link TransportProvider} for {@code http://host:port} (plaintext) and {@code https://host:port} (TLS)
 * addresses, found through {@link java.util.ServiceLoader}.
 *
 * <h2>Options in the address</h2>
 * The query string may set: {@code http2} ({@code true}/{@code false}), {@code maxMessageBytes},
 * {@code maxEntriesPerMessage}, {@code maxRequestBytes}, {@code maxQueuedMessages}, {@code maxQueuedBytes},
 * {@code maxInFlightRequests}, {@code serverThreads}, {@code clientThreads}, {@code requestTimeoutMillis}, and
 * under {@code https} the TLS material: {@code certChain} + {@code privateKey} (PEM) or {@code keyStore} +
 * {@code keyStorePassword} (PKCS#12), {@code trust} (PEM CAs) and {@code clientAuth} ({@code require}, the
 * default: mutual TLS; or {@code none}). For example
 * {@code https://10.0.0.1:7000?keyStore=/etc/flotilla/n1.p12&keyStorePassword=...&trust=/etc/flotilla/ca.pem}.
 * Unknown keys are errors. Since the password would sit in the address, building {@link HttpTransportOptions} in
 * code is preferable in production.
 *
 * <p><b>Threading:</b> stateless and thread-safe. <b>Failure:</b> {@link #create} throws
 * {@link InvalidConfigException} (an {@link IllegalArgumentException}) listing every problem in the address.
 */
public final class HttpTransportProvider implements TransportProvider {
    private static final List<String> KEYS = List.of("http2", "certChain", "privateKey", "keyStore",
            "keyStorePassword", "trust", "clientAuth", "maxMessageBytes", "maxEntriesPerMessage", "maxRequestBytes",
            "maxQueuedMessages", "maxQueuedBytes", "maxInFlightRequests", "serverThreads", "clientThreads",
            "requestTimeoutMillis");
    private static final List<String> TLS_KEYS = List.of("certChain", "privateKey", "keyStore", "keyStorePassword",
            "trust", "clientAuth");

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public HttpTransportProvider() {}

    @Override
    public String name() {
        return "http";
    }

    @Override
    public boolean supports(URI address) {
        String scheme = address.getScheme();
        return HttpTransportOptions.PLAINTEXT_SCHEME.equals(scheme) || HttpTransportOptions.TLS_SCHEME.equals(scheme);
    }

    @Override
    public Transport create(URI listenAddress, TransportContext context) {
        return HttpTransport.create(withoutQuery(listenAddress), context, options(listenAddress));
    }

    private static URI withoutQuery(URI address) {
        if (address.getRawQuery() == null) {
            return address;
        }
        return URI.create(address.getScheme() + "://" + address.getRawAuthority());
    }

    /**
     * Parses the options in an address's query string.
     *
     * @param address the address
     * @return the options
     * @throws InvalidConfigException listing every problem
     */
    static HttpTransportOptions options(URI address) {
        Map<String, String> q = query(address.getRawQuery());
        List<String> problems = new ArrayList<>();
        for (String key : q.keySet()) {
            if (!KEYS.contains(key)) {
                problems.add("unknown option '" + key + "' (known: " + String.join(", ", KEYS) + ")");
            }
        }
        HttpTransportOptions.Builder b = HttpTransportOptions.newBuilder();
        if (HttpTransportOptions.TLS_SCHEME.equals(address.getScheme())) {
            HttpTransportOptions.Tls material = new HttpTransportOptions.Tls(path(q, "certChain"),
                    path(q, "privateKey"), path(q, "keyStore"), Optional.ofNullable(q.get("keyStorePassword")),
                    path(q, "trust"));
            String clientAuth = q.getOrDefault("clientAuth", "require");
            if ("require".equals(clientAuth)) {
                b.mutualTls(material);
            } else if ("none".equals(clientAuth)) {
                b.tls(material);
            } else {
                problems.add("clientAuth must be 'require' or 'none', got '" + clientAuth + "'");
            }
        } else {
            b.plaintext();
            for (String key : TLS_KEYS) {
                if (q.containsKey(key)) {
                    problems.add("'" + key + "' needs the https:// scheme; http:// is plaintext");
                }
            }
        }
        String http2 = q.get("http2");
        if (http2 != null) {
            if ("true".equals(http2) || "false".equals(http2)) {
                b.http2(Boolean.parseBoolean(http2));
            } else {
                problems.add("http2 must be 'true' or 'false', got '" + http2 + "'");
            }
        }
        integer(q, "maxMessageBytes", problems).ifPresent(v -> b.maxMessageBytes(clamp(v)));
        integer(q, "maxEntriesPerMessage", problems).ifPresent(v -> b.maxEntriesPerMessage(clamp(v)));
        integer(q, "maxRequestBytes", problems).ifPresent(v -> b.maxRequestBytes(clamp(v)));
        integer(q, "maxQueuedMessages", problems).ifPresent(v -> b.maxQueuedMessages(clamp(v)));
        integer(q, "maxQueuedBytes", problems).ifPresent(b::maxQueuedBytes);
        integer(q, "maxInFlightRequests", problems).ifPresent(v -> b.maxInFlightRequests(clamp(v)));
        Optional<Long> server = integer(q, "serverThreads", problems);
        Optional<Long> client = integer(q, "clientThreads", problems);
        if (server.isPresent() || client.isPresent()) {
            HttpTransportOptions defaults = HttpTransportOptions.newBuilder().plaintext().build();
            b.threads(clamp(server.orElse((long) defaults.serverThreads())),
                    clamp(client.orElse((long) defaults.clientThreads())));
        }
        integer(q, "requestTimeoutMillis", problems).ifPresent(v -> b.timeouts(
                HttpTransportOptions.newBuilder().plaintext().build().connectTimeout(), Duration.ofMillis(v)));
        if (!problems.isEmpty()) {
            throw new InvalidConfigException("HTTP transport address " + redacted(address), problems);
        }
        return b.build();
    }

    private static int clamp(long v) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(v, Integer.MAX_VALUE));
    }

    private static String redacted(URI address) {
        return address.getScheme() + "://" + address.getRawAuthority();
    }

    private static Optional<Path> path(Map<String, String> q, String key) {
        return Optional.ofNullable(q.get(key)).map(Path::of);
    }

    private static Optional<Long> integer(Map<String, String> q, String key, List<String> problems) {
        String v = q.get(key);
        if (v == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(v));
        } catch (NumberFormatException e) {
            problems.add(key + " must be an integer, got '" + v + "'");
            return Optional.empty();
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }
}
