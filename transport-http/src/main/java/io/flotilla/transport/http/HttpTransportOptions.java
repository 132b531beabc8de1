package io.flotilla.transport.http;

import io.flotilla.InvalidConfigException;
import io.flotilla.spi.Transport;
import io.flotilla.spi.TransportContext;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the HTTP transport: security, HTTP version, size limits, queue and in-flight bounds, threads and
 * timeouts.
 *
 * <h2>Security is always an explicit choice</h2>
 * There is no default: {@link Builder#build()} fails unless one of {@link Builder#plaintext()},
 * {@link Builder#tls(Tls)} or {@link Builder#mutualTls(Tls)} was called. The scheme of every address follows the
 * choice: {@code http://host:port} is plaintext and {@code https://host:port} is TLS; a transport refuses to
 * listen on, or talk to, an address whose scheme does not match its security mode, so a TLS cluster never
 * downgrades to plaintext by a typo in one address.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * HttpTransportOptions options = HttpTransportOptions.newBuilder()
 *         .mutualTls(HttpTransportOptions.Tls.pem(Path.of("node1.crt"), Path.of("node1.key"), Path.of("ca.pem")))
 *         .maxInFlightRequests(4)
 *         .build();
 * Transport transport = options.createTransport(URI.create("https://10.0.0.1:7000"),
 *         new TransportContext(ClusterId.of("prod"), NodeId.of("node1")));
 * }</pre>
 *
 * <p><b>Threading:</b> immutable and thread-safe. <b>Failure:</b> {@link Builder#build()} throws
 * {@link InvalidConfigException} listing every violation at once; it checks that key and trust files exist,
 * but their contents are read (and reported) only when the transport starts.
 *
 * @param security how traffic is protected
 * @param tls key and trust material; present exactly when {@code security} is not {@link Security#PLAINTEXT}
 * @param http2 whether the client speaks HTTP/2: with prior knowledge (h2c) on plaintext, offered through ALPN
 *     over TLS. When false, HTTP/1.1 with keep-alive (one connection per in-flight request). The server always
 *     accepts both.
 * @param maxMessageBytes the largest encoded message sent or accepted; larger ones are dropped (sending) or
 *     rejected with 413 (receiving)
 * @param maxEntriesPerMessage the most log entries one AppendEntries message may carry
 * @param maxRequestBytes the largest batch request body; a batch is cut before it would exceed this, and the
 *     server rejects a larger body with 413. At least {@code maxMessageBytes} plus framing.
 * @param maxQueuedMessages per peer, the most messages waiting to be sent; further ones are dropped
 * @param maxQueuedBytes per peer, the most encoded bytes waiting to be sent; further messages are dropped
 * @param maxInFlightRequests per peer, the most batch requests awaiting their response (pipelining depth); while
 *     that many are outstanding, further messages wait in the queue and join the next batch
 * @param serverThreads the most threads of the embedded server (its selector, acceptor and handlers)
 * @param clientThreads the most threads running client requests (OkHttp runs each request on a thread)
 * @param connectTimeout how long a TCP (and TLS) connection attempt may take
 * @param requestTimeout how long one batch request may take from start to response
 * @param pingInterval HTTP/2 PING interval on idle client connections; an unanswered PING fails the connection
 * @param reconnectBackoffMin the first delay before retrying a failed peer
 * @param reconnectBackoffMax the largest delay between attempts (the delay doubles, with jitter)
 * @param snapshotIdleTimeout how long a streamed snapshot upload stays open without a new chunk before its body
 *     is ended (the next chunk opens a new upload)
 * @param shutdownTimeout how long {@code close()} waits for the server and the client threads to stop
 */
public record HttpTransportOptions(
        Security security,
        Optional<Tls> tls,
        boolean http2,
        int maxMessageBytes,
        int maxEntriesPerMessage,
        int maxRequestBytes,
        int maxQueuedMessages,
        long maxQueuedBytes,
        int maxInFlightRequests,
        int serverThreads,
        int clientThreads,
        Duration connectTimeout,
        Duration requestTimeout,
        Duration pingInterval,
        Duration reconnectBackoffMin,
        Duration reconnectBackoffMax,
        Duration snapshotIdleTimeout,
        Duration shutdownTimeout) {

    /** URI scheme of plaintext addresses. */
    public static final String PLAINTEXT_SCHEME = "http";
    /** URI scheme of TLS (and mutual TLS) addresses. */
    public static final String TLS_SCHEME = "https";

    /**
     * Validates the options; see {@link Builder#build()}.
     *
     * @param security the security mode
     * @param tls the TLS material
     * @param http2 whether the client speaks HTTP/2
     * @param maxMessageBytes the message size limit
     * @param maxEntriesPerMessage the entry count limit
     * @param maxRequestBytes the batch body limit
     * @param maxQueuedMessages the per-peer message queue bound
     * @param maxQueuedBytes the per-peer byte queue bound
     * @param maxInFlightRequests the per-peer pipelining depth
     * @param serverThreads the server's thread bound
     * @param clientThreads the client's thread bound
     * @param connectTimeout the connect timeout
     * @param requestTimeout the per-request timeout
     * @param pingInterval the HTTP/2 PING interval
     * @param reconnectBackoffMin the first retry delay
     * @param reconnectBackoffMax the largest retry delay
     * @param snapshotIdleTimeout the snapshot upload idle timeout
     * @param shutdownTimeout the shutdown timeout
     * @throws InvalidConfigException listing every violation
     */
    public HttpTransportOptions {
        Objects.requireNonNull(tls, "tls");
        List<String> problems = new ArrayList<>();
        if (security == null) {
            problems.add("security must be chosen explicitly: plaintext(), tls(...) or mutualTls(...)");
        } else if (security == Security.PLAINTEXT && tls.isPresent()) {
            problems.add("plaintext security must not carry TLS material");
        } else if (security != Security.PLAINTEXT) {
            if (tls.isEmpty()) {
                problems.add(security + " needs TLS material (tls)");
            } else {
                tls.get().validate(security, problems);
            }
        }
        if (maxMessageBytes < 4096) {
            problems.add("maxMessageBytes must be >= 4096, got " + maxMessageBytes);
        }
        if (maxEntriesPerMessage < 1) {
            problems.add("maxEntriesPerMessage must be >= 1, got " + maxEntriesPerMessage);
        }
        if (maxRequestBytes < maxMessageBytes || maxRequestBytes > Integer.MAX_VALUE - 16) {
            problems.add("maxRequestBytes (" + maxRequestBytes + ") must be >= maxMessageBytes (" + maxMessageBytes
                    + ") so that one message of the largest size fits");
        }
        if (maxQueuedMessages < 1) {
            problems.add("maxQueuedMessages must be >= 1, got " + maxQueuedMessages);
        }
        if (maxQueuedBytes < maxMessageBytes) {
            problems.add("maxQueuedBytes (" + maxQueuedBytes + ") must be >= maxMessageBytes (" + maxMessageBytes
                    + ") so that one message of the largest size fits");
        }
        if (maxInFlightRequests < 1 || maxInFlightRequests > 64) {
            problems.add("maxInFlightRequests must be in 1..64, got " + maxInFlightRequests);
        }
        if (serverThreads < 4 || serverThreads > 256) {
            problems.add("serverThreads must be in 4..256 (an acceptor and a selector use two), got " + serverThreads);
        }
        if (clientThreads < 1 || clientThreads > 256) {
            problems.add("clientThreads must be in 1..256, got " + clientThreads);
        }
        positive(problems, "connectTimeout", connectTimeout);
        positive(problems, "requestTimeout", requestTimeout);
        positive(problems, "pingInterval", pingInterval);
        positive(problems, "reconnectBackoffMin", reconnectBackoffMin);
        positive(problems, "reconnectBackoffMax", reconnectBackoffMax);
        positive(problems, "snapshotIdleTimeout", snapshotIdleTimeout);
        positive(problems, "shutdownTimeout", shutdownTimeout);
        if (reconnectBackoffMin != null && reconnectBackoffMax != null
                && reconnectBackoffMax.compareTo(reconnectBackoffMin) < 0) {
            problems.add("reconnectBackoffMax (" + reconnectBackoffMax + ") must be >= reconnectBackoffMin ("
                    + reconnectBackoffMin + ")");
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException("HTTP transport options", problems);
        }
    }

    private static void positive(List<String> problems, String name, Duration d) {
        if (d == null) {
            problems.add(name + " must be set");
        } else if (d.isNegative() || d.isZero()) {
            problems.add(name + " must be positive, got " + d);
        }
    }

    /**
     * Returns the URI scheme addresses must use under these options.
     *
     * @return {@value #PLAINTEXT_SCHEME} or {@value #TLS_SCHEME}
     */
    public String scheme() {
        return security == Security.PLAINTEXT ? PLAINTEXT_SCHEME : TLS_SCHEME;
    }

    /**
     * Creates an unstarted HTTP transport with these options.
     *
     * @param listenAddress {@code http://host:port} or {@code https://host:port} (matching {@link #security()});
     *     port 0 picks a free port
     * @param context the cluster and node the transport serves
     * @return the transport; call {@link Transport#start} to bind
     * @throws IllegalArgumentException if the address is malformed or its scheme does not match the security mode
     */
    public Transport createTransport(URI listenAddress, TransportContext context) {
        return io.flotilla.transport.http.internal.HttpTransport.create(listenAddress, context, this);
    }

    /**
     * Returns a builder with the defaults: HTTP/2, 16 MiB messages, 100,000 entries per message, 16 MiB plus
     * framing per request, 4,096 messages and 64 MiB queued per peer, 4 requests in flight per peer, 16 server and
     * 32 client threads at most, connect timeout 3 s, request timeout 10 s, PING every 5 s, reconnect backoff
     * 50 ms to 2 s, snapshot upload idle timeout 1 s, shutdown timeout 5 s. Security has no default.
     *
     * @return a new builder
     */
    public static Builder newBuilder() {
        return new Builder();
    }

    /** How traffic between nodes is protected. */
    public enum Security {
        /** No encryption and no authentication: only for tests and trusted networks. Scheme {@code http://}. */
        PLAINTEXT,
        /** TLS: the server authenticates itself to clients. Scheme {@code https://}. */
        TLS,
        /** Mutual TLS: both sides authenticate with certificates signed by a trusted CA. Scheme {@code https://}. */
        MUTUAL_TLS
    }

    /**
     * Key and trust material, read from files when the transport starts. The node's own identity is either a PEM
     * certificate chain with a PEM PKCS#8 private key (EC or RSA), or a PKCS#12 key store; peers are trusted by the
     * PEM certificates in {@code trustCertificates} (or the JDK's default trust store if absent, TLS only). Client
     * connections verify that the peer's certificate matches the host in its address (a SAN entry).
     *
     * <p>The same identity serves as the server certificate and, under mutual TLS, as the client certificate, so
     * it should carry both the serverAuth and clientAuth extended key usages (or none). Immutable;
     * {@link #toString()} never shows the password.
     *
     * @param certificateChain PEM certificate chain, leaf first (with {@code privateKey})
     * @param privateKey PEM PKCS#8 private key, unencrypted (with {@code certificateChain})
     * @param keyStore PKCS#12 key store holding one private key entry (instead of the PEM pair)
     * @param keyStorePassword the key store's password (and the key's)
     * @param trustCertificates PEM certificates of the CAs that sign peer certificates
     */
    public record Tls(
            Optional<Path> certificateChain,
            Optional<Path> privateKey,
            Optional<Path> keyStore,
            Optional<String> keyStorePassword,
            Optional<Path> trustCertificates) {

        /**
         * Checks for nulls; the rest is validated with the options.
         *
         * @param certificateChain the PEM chain
         * @param privateKey the PEM key
         * @param keyStore the PKCS#12 store
         * @param keyStorePassword its password
         * @param trustCertificates the trusted CAs
         */
        public Tls {
            Objects.requireNonNull(certificateChain, "certificateChain");
            Objects.requireNonNull(privateKey, "privateKey");
            Objects.requireNonNull(keyStore, "keyStore");
            Objects.requireNonNull(keyStorePassword, "keyStorePassword");
            Objects.requireNonNull(trustCertificates, "trustCertificates");
        }

        /**
         * Returns PEM material.
         *
         * @param certificateChain PEM certificate chain, leaf first
         * @param privateKey PEM PKCS#8 private key
         * @param trustCertificates PEM CA certificates trusted for peers
         * @return the material
         */
        public static Tls pem(Path certificateChain, Path privateKey, Path trustCertificates) {
            return new Tls(Optional.of(certificateChain), Optional.of(privateKey), Optional.empty(),
                    Optional.empty(), Optional.of(trustCertificates));
        }

        /**
         * Returns PKCS#12 key material with PEM trust.
         *
         * @param keyStore PKCS#12 file with one private key entry
         * @param password its password
         * @param trustCertificates PEM CA certificates trusted for peers
         * @return the material
         */
        public static Tls pkcs12(Path keyStore, String password, Path trustCertificates) {
            return new Tls(Optional.empty(), Optional.empty(), Optional.of(keyStore), Optional.of(password),
                    Optional.of(trustCertificates));
        }

        void validate(Security security, List<String> problems) {
            boolean pem = certificateChain.isPresent() || privateKey.isPresent();
            boolean p12 = keyStore.isPresent();
            if (pem && p12) {
                problems.add("TLS identity must be either certificateChain+privateKey or keyStore, not both");
            } else if (!pem && !p12) {
                problems.add("TLS identity missing: give certificateChain+privateKey (PEM) or keyStore (PKCS#12)");
            } else if (pem && (certificateChain.isEmpty() || privateKey.isEmpty())) {
                problems.add("PEM identity needs both certificateChain and privateKey");
            }
            if (p12 && keyStorePassword.isEmpty()) {
                problems.add("keyStore needs keyStorePassword");
            }
            if (!p12 && keyStorePassword.isPresent()) {
                problems.add("keyStorePassword given without keyStore");
            }
            if (security == Security.MUTUAL_TLS && trustCertificates.isEmpty()) {
                problems.add("mutual TLS needs trustCertificates (the CA that signs peer certificates)");
            }
            readable(problems, "certificateChain", certificateChain);
            readable(problems, "privateKey", privateKey);
            readable(problems, "keyStore", keyStore);
            readable(problems, "trustCertificates", trustCertificates);
        }

        private static void readable(List<String> problems, String name, Optional<Path> path) {
            if (path.isPresent() && !Files.isReadable(path.get())) {
                problems.add(name + " file " + path.get() + " does not exist or is not readable");
            }
        }

        @Override
        public String toString() {
            return "Tls[certificateChain=" + certificateChain + ", privateKey=" + privateKey + ", keyStore=" + keyStore
                    + ", keyStorePassword=" + (keyStorePassword.isPresent() ? "***" : "none")
                    + ", trustCertificates=" + trustCertificates + "]";
        }
    }

    /** Builds {@link HttpTransportOptions}; starts from the defaults listed at {@link #newBuilder()}. Not thread-safe. */
    public static final class Builder {
        private Security security;
        private Tls tls;
        private boolean http2 = true;
        private int maxMessageBytes = 16 * 1024 * 1024;
        private int maxEntriesPerMessage = 100_000;
        private Integer maxRequestBytes;
        private int maxQueuedMessages = 4096;
        private long maxQueuedBytes = 64L * 1024 * 1024;
        private int maxInFlightRequests = 4;
        private int serverThreads = 16;
        private int clientThreads = 32;
        private Duration connectTimeout = Duration.ofSeconds(3);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration pingInterval = Duration.ofSeconds(5);
        private Duration reconnectBackoffMin = Duration.ofMillis(50);
        private Duration reconnectBackoffMax = Duration.ofSeconds(2);
        private Duration snapshotIdleTimeout = Duration.ofSeconds(1);
        private Duration shutdownTimeout = Duration.ofSeconds(5);

        private Builder() {}

        /**
         * Chooses plaintext: no encryption or authentication, {@code http://} addresses.
         *
         * @return this builder
         */
        public Builder plaintext() {
            security = Security.PLAINTEXT;
            tls = null;
            return this;
        }

        /**
         * Chooses TLS (server authentication), {@code https://} addresses.
         *
         * @param material the node's identity and the trusted CAs
         * @return this builder
         */
        public Builder tls(Tls material) {
            security = Security.TLS;
            tls = Objects.requireNonNull(material, "material");
            return this;
        }

        /**
         * Chooses mutual TLS: every connection is authenticated both ways, {@code https://} addresses.
         *
         * @param material the node's identity and the CAs trusted for peers (required)
         * @return this builder
         */
        public Builder mutualTls(Tls material) {
            security = Security.MUTUAL_TLS;
            tls = Objects.requireNonNull(material, "material");
            return this;
        }

        /**
         * Sets {@link HttpTransportOptions#http2()}.
         *
         * @param value true for HTTP/2 (the default), false for HTTP/1.1
         * @return this builder
         */
        public Builder http2(boolean value) {
            http2 = value;
            return this;
        }

        /**
         * Sets {@link HttpTransportOptions#maxMessageBytes()}.
         *
         * @param value bytes
         * @return this builder
         */
        public Builder maxMessageBytes(int value) {
            maxMessageBytes = value;
            return this;
        }

        /**
         * Sets {@link HttpTransportOptions#maxEntriesPerMessage()}.
         *
         * @param value entries
         * @return this builder
         */
        public Builder maxEntriesPerMessage(int value) {
            maxEntriesPerMessage = value;
            return this;
        }

        /**
         * Sets {@link HttpTransportOptions#maxRequestBytes()}; by default {@code maxMessageBytes} plus 16 bytes of
         * framing.
         *
         * @param value bytes
         * @return this builder
         */
        public Builder maxRequestBytes(int value) {
            maxRequestBytes = value;
            return this;
        }

        /**
         * Sets {@link HttpTransportOptions#maxQueuedMessages()}.
         *
         * @param value messages per peer
         * @return this builder
         */
        public Builder maxQueuedMessages(int value) {
            maxQueuedMessages = value;
            return this;
        }

        /**
         * Sets {@link HttpTransportOptions#maxQueuedBytes()}.
         *
         * @param value bytes per peer
         * @return this builder
         */
        public Builder maxQueuedBytes(long value) {
            maxQueuedBytes = value;
            return this;
        }

        /**
         * Sets {@link HttpTransportOptions#maxInFlightRequests()}.
         *
         * @param value requests per peer
         * @return this builder
         */
        public Builder maxInFlightRequests(int value) {
            maxInFlightRequests = value;
            return this;
        }

        /**
         * Sets {@link HttpTransportOptions#serverThreads()} and {@link HttpTransportOptions#clientThreads()}.
         *
         * @param server the server's thread bound
         * @param client the client's thread bound
         * @return this builder
         */
        public Builder threads(int server, int client) {
            serverThreads = server;
            clientThreads = client;
            return this;
        }

        /**
         * Sets {@link HttpTransportOptions#connectTimeout()} and {@link HttpTransportOptions#requestTimeout()}.
         *
         * @param connect the connect timeout
         * @param request the per-request timeout
         * @return this builder
         */
        public Builder timeouts(Duration connect, Duration request) {
            connectTimeout = connect;
            requestTimeout = request;
            return this;
        }

        /**
         * Sets {@link HttpTransportOptions#pingInterval()}.
         *
         * @param value the interval
         * @return this builder
         */
        public Builder pingInterval(Duration value) {
            pingInterval = value;
            return this;
        }

        /**
         * Sets the reconnect backoff range.
         *
         * @param min the first delay
         * @param max the largest delay
         * @return this builder
         */
        public Builder reconnectBackoff(Duration min, Duration max) {
            reconnectBackoffMin = min;
            reconnectBackoffMax = max;
            return this;
        }

        /**
         * Sets {@link HttpTransportOptions#snapshotIdleTimeout()}.
         *
         * @param value the timeout
         * @return this builder
         */
        public Builder snapshotIdleTimeout(Duration value) {
            snapshotIdleTimeout = value;
            return this;
        }

        /**
         * Sets {@link HttpTransportOptions#shutdownTimeout()}.
         *
         * @param value the timeout
         * @return this builder
         */
        public Builder shutdownTimeout(Duration value) {
            shutdownTimeout = value;
            return this;
        }

        /**
         * Validates and builds the options.
         *
         * @return the options
         * @throws InvalidConfigException listing every violation, including a missing security choice
         */
        public HttpTransportOptions build() {
            int request = maxRequestBytes != null ? maxRequestBytes
                    : (int) Math.min(Integer.MAX_VALUE - 16, (long) maxMessageBytes + 16);
            return new HttpTransportOptions(security, Optional.ofNullable(tls), http2, maxMessageBytes,
                    maxEntriesPerMessage, request, maxQueuedMessages, maxQueuedBytes, maxInFlightRequests,
                    serverThreads, clientThreads, connectTimeout, requestTimeout, pingInterval, reconnectBackoffMin,
                    reconnectBackoffMax, snapshotIdleTimeout, shutdownTimeout);
        }
    }
}
