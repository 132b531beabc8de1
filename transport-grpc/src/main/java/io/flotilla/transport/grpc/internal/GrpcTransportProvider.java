package io.flotilla.transport.grpc.internal;

import io.flotilla.InvalidConfigException;
import io.flotilla.spi.Transport;
import io.flotilla.spi.TransportContext;
import io.flotilla.spi.TransportProvider;
import io.flotilla.transport.grpc.GrpcTransportOptions;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link TransportProvider} for {@code grpc://host:port} (plaintext) and {@code grpcs://host:port} (TLS)
 * addresses, found through {@link java.util.ServiceLoader}.
 *
 * <p>Options come from the query string; unknown keys are errors. Plaintext needs none: choosing the
 * {@code grpc://} scheme <em>is</em> the explicit opt-in. {@code grpcs://} needs an identity and, for mutual TLS,
 * trust:
 * <pre>
 * grpcs://10.0.0.1:7000?certChain=/etc/raft/node.crt&amp;privateKey=/etc/raft/node.key&amp;trust=/etc/raft/ca.pem&amp;clientAuth=require
 * grpcs://10.0.0.1:7000?keyStore=/etc/raft/node.p12&amp;keyStorePassword=secret&amp;trust=/etc/raft/ca.pem
 * </pre>
 * {@code clientAuth=require} (the default for {@code grpcs://}) selects mutual TLS, {@code clientAuth=none}
 * server-only TLS. Limits: {@code maxMessageBytes}, {@code maxEntriesPerMessage}, {@code maxQueuedMessages},
 * {@code maxQueuedBytes}, {@code maxQueuedSnapshotChunks}, {@code ioThreads}, {@code callbackThreads}. For anything
 * else, or to keep passwords out of URIs, build {@link GrpcTransportOptions} in code. Thread-safe and stateless.
 */
public final class GrpcTransportProvider implements TransportProvider {
    private static final List<String> KEYS = List.of("certChain", "privateKey", "keyStore", "keyStorePassword", "trust",
            "clientAuth", "maxMessageBytes", "maxEntriesPerMessage", "maxQueuedMessages", "maxQueuedBytes",
            "maxQueuedSnapshotChunks", "ioThreads", "callbackThreads");

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public GrpcTransportProvider() {}

    @Override
    public String name() {
        return "grpc";
    }

    @Override
    public boolean supports(URI address) {
        String scheme = address.getScheme();
        return GrpcTransportOptions.PLAINTEXT_SCHEME.equals(scheme) || GrpcTransportOptions.TLS_SCHEME.equals(scheme);
    }

    @Override
    public Transport create(URI listenAddress, TransportContext context) {
        return GrpcTransport.create(listenAddress, context, options(listenAddress));
    }

    /**
     * Parses the options in an address's query string.
     *
     * @param address the address
     * @return the options
     * @throws InvalidConfigException listing every problem
     */
    static GrpcTransportOptions options(URI address) {
        Map<String, String> q = query(address.getRawQuery());
        List<String> problems = new ArrayList<>();
        for (String key : q.keySet()) {
            if (!KEYS.contains(key)) {
                problems.add("unknown option '" + key + "' (known: " + String.join(", ", KEYS) + ")");
            }
        }
        GrpcTransportOptions.Builder b = GrpcTransportOptions.newBuilder();
        boolean tls = GrpcTransportOptions.TLS_SCHEME.equals(address.getScheme());
        if (tls) {
            GrpcTransportOptions.Tls material = new GrpcTransportOptions.Tls(path(q, "certChain"), path(q, "privateKey"),
                    path(q, "keyStore"), Optional.ofNullable(q.get("keyStorePassword")), path(q, "trust"));
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
            for (String key : List.of("certChain", "privateKey", "keyStore", "keyStorePassword", "trust", "clientAuth")) {
                if (q.containsKey(key)) {
                    problems.add("'" + key + "' needs the grpcs:// scheme; grpc:// is plaintext");
                }
            }
        }
        integer(q, "maxMessageBytes", problems).ifPresent(v -> b.maxMessageBytes((int) Math.min(v, Integer.MAX_VALUE)));
        integer(q, "maxEntriesPerMessage", problems).ifPresent(v -> b.maxEntriesPerMessage((int) Math.min(v, Integer.MAX_VALUE)));
        integer(q, "maxQueuedMessages", problems).ifPresent(v -> b.maxQueuedMessages((int) Math.min(v, Integer.MAX_VALUE)));
        integer(q, "maxQueuedBytes", problems).ifPresent(b::maxQueuedBytes);
        integer(q, "maxQueuedSnapshotChunks", problems)
                .ifPresent(v -> b.maxQueuedSnapshotChunks((int) Math.min(v, Integer.MAX_VALUE)));
        integer(q, "ioThreads", problems).ifPresent(v -> b.ioThreads((int) Math.min(v, Integer.MAX_VALUE)));
        integer(q, "callbackThreads", problems).ifPresent(v -> b.callbackThreads((int) Math.min(v, Integer.MAX_VALUE)));
        if (!problems.isEmpty()) {
            throw new InvalidConfigException("gRPC transport address " + redacted(address), problems);
        }
        return b.build();
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
