package io.flotilla.transport.grpc;

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
 * Settings of the gRPC transport: security, size limits, queue bounds, threads and timeouts.
 *
 * <h2>Security is always an explicit choice</h2>
 * There is no default: {@link Builder#build()} fails unless one of {@link Builder#plaintext()},
 * {@link Builder#tls(Tls)} or {@link Builder#mutualTls(Tls)} was called. The scheme of every address follows the
 * choice: {@code grpc://host:port} is plaintext and {@code grpcs://host:port} is TLS; a transport refuses to
 * listen on, or talk to, an address whose scheme does not match its security mode, so a TLS cluster never
 * downgrades to plaintext by a typo in one address.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * GrpcTransportOptions options = GrpcTransportOptions.newBuilder()
 *         .mutualTls(GrpcTransportOptions.Tls.pem(Path.of("node1.crt"), Path.of("node1.key"), Path.of("ca.pem")))
 *         .maxQueuedMessages(2048)
 *         .build();
 * Transport transport = options.createTransport(URI.create("grpcs://10.0.0.1:7000"),
 *         new TransportContext(ClusterId.of("prod"), NodeId.of("node1")));
 * }</pre>
 *
 * <p><b>Threading:</b> immutable and thread-safe. <b>Failure:</b> {@link Builder#build()} throws
 * {@link InvalidConfigException} listing every violation at once; it checks that key and trust files exist,
 * but their contents are read (and reported) only when the transport starts.
 *
 * @param security how traffic is protected
 * @param tls key and trust material; present exactly when {@code security} is not {@link Security#PLAINTEXT}
 * @param maxMessageBytes the largest encoded message sent or accepted; larger ones are dropped (sending) or
 *     close the stream (receiving)
 * @param maxEntriesPerMessage the most log entries one AppendEntries message may carry
 * @param maxQueuedMessages per peer, the most messages waiting to be written; further ones are dropped
 * @param maxQueuedBytes per peer, the most encoded bytes waiting to be written; further messages are dropped
 * @param maxQueuedSnapshotChunks per peer, the most InstallSnapshot chunks waiting on the snapshot stream (which
 *     also holds at most {@code min(maxQueuedBytes, maxQueuedSnapshotChunks × maxMessageBytes)} bytes); further
 *     chunks are dropped. Keep it at least {@code SnapshotConfig.maxInflightChunks()}, the chunks a leader sends
 *     ahead of the follower's acknowledgement, or chunks of a normal transfer are dropped and resent.
 * @param ioThreads Netty event-loop threads, shared by every transport in the process with the same setting; they
 *     also decode inbound messages and hand them to the node
 * @param callbackThreads threads running the outbound side (client-call callbacks and the per-peer writers),
 *     shared likewise
 * @param connectTimeout how long a TCP (and TLS) connection attempt may take
 * @param keepAliveTime idle time after which an HTTP/2 PING checks that a connection is alive
 * @param keepAliveTimeout how long a PING may go unanswered before the connection is closed
 * @param reconnectBackoffMin the first delay before reopening a failed stream
 * @param reconnectBackoffMax the largest delay between attempts (the delay doubles, with jitter); while a peer is
 *     unreachable it is probed this often at least, so a peer that listens again is reached within about this delay
 * @param stallTimeout how long a peer may refuse to accept queued messages (HTTP/2 flow control) before its
 *     stream is cancelled and reopened
 * @param shutdownTimeout how long {@code close()} waits for the server and channels to terminate
 */
public record GrpcTransportOptions(
        Security security,
        Optional<Tls> tls,
        int maxMessageBytes,
        int maxEntriesPerMessage,
        int maxQueuedMessages,
        long maxQueuedBytes,
        int maxQueuedSnapshotChunks,
        int ioThreads,
        int callbackThreads,
        Duration connectTimeout,
        Duration keepAliveTime,
        Duration keepAliveTimeout,
        Duration reconnectBackoffMin,
        Duration reconnectBackoffMax,
        Duration stallTimeout,
        Duration shutdownTimeout) {

    /** URI scheme of plaintext addresses. */
    public static final String PLAINTEXT_SCHEME = "grpc";
    /** URI scheme of TLS (and mutual TLS) addresses. */
    public static final String TLS_SCHEME = "grpcs";

    /**
     * Validates the options; see {@link Builder#build()}.
     *
     * @param security the security mode
     * @param tls the TLS material
     * @param maxMessageBytes the message size limit
     * @param maxEntriesPerMessage the entry count limit
     * @param maxQueuedMessages the per-peer message queue bound
     * @param maxQueuedBytes the per-peer byte queue bound
     * @param maxQueuedSnapshotChunks the per-peer snapshot chunk queue bound
     * @param ioThreads the event-loop threads
     * @param callbackThreads the callback threads
     * @param connectTimeout the connect timeout
     * @param keepAliveTime the keep-alive interval
     * @param keepAliveTimeout the keep-alive timeout
     * @param reconnectBackoffMin the first reconnect delay
     * @param reconnectBackoffMax the largest reconnect delay
     * @param stallTimeout the stall timeout
     * @param shutdownTimeout the shutdown timeout
     * @throws InvalidConfigException listing every violation
     */
    public GrpcTransportOptions {
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
        if (maxQueuedMessages < 1) {
            problems.add("maxQueuedMessages must be >= 1, got " + maxQueuedMessages);
        }
        if (maxQueuedBytes < maxMessageBytes) {
            problems.add("maxQueuedBytes (" + maxQueuedBytes + ") must be >= maxMessageBytes (" + maxMessageBytes
                    + ") so that one message of the largest size fits");
        }
        if (maxQueuedSnapshotChunks < 1 || maxQueuedSnapshotChunks > 1024) {
            problems.add("maxQueuedSnapshotChunks must be in 1..1024, got " + maxQueuedSnapshotChunks);
        }
        if (ioThreads < 1 || ioThreads > 64) {
            problems.add("ioThreads must be in 1..64, got " + ioThreads);
        }
        if (callbackThreads < 1 || callbackThreads > 64) {
            problems.add("callbackThreads must be in 1..64, got " + callbackThreads);
        }
        positive(problems, "connectTimeout", connectTimeout);
        positive(problems, "keepAliveTime", keepAliveTime);
        positive(problems, "keepAliveTimeout", keepAliveTimeout);
        positive(problems, "reconnectBackoffMin", reconnectBackoffMin);
        positive(problems, "reconnectBackoffMax", reconnectBackoffMax);
        positive(problems, "stallTimeout", stallTimeout);
        positive(problems, "shutdownTimeout", shutdownTimeout);
        if (reconnectBackoffMin != null && reconnectBackoffMax != null
                && reconnectBackoffMax.compareTo(reconnectBackoffMin) < 0) {
            problems.add("reconnectBackoffMax (" + reconnectBackoffMax + ") must be >= reconnectBackoffMin ("
                    + reconnectBackoffMin + ")");
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException("gRPC transport options", problems);
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
     * Creates an unstarted gRPC transport with these options.
     *
     * @param listenAddress {@code grpc://host:port} or {@code grpcs://host:port} (matching {@link #security()});
     *     port 0 picks a free port
     * @param context the cluster and node the transport serves
     * @return the transport; call {@link Transport#start} to bind
     * @throws IllegalArgumentException if the address is malformed or its scheme does not match the security mode
     */
    public Transport createTransport(URI listenAddress, TransportContext context) {
        return io.flotilla.transport.grpc.internal.GrpcTransport.create(listenAddress, context, this);
    }

    /**
     * Returns a builder with the defaults: 16 MiB messages, 100,000 entries per message, 4,096 messages and
     * 64 MiB queued per peer, 4 snapshot chunks queued per peer, 1 I/O thread and 2 callback threads, connect
     * timeout 3 s, keep-alive every 10 s with a 5 s timeout, reconnect backoff 100 ms to 1 s, stall timeout 15 s,
     * shutdown timeout 5 s. Security has no default.
     *
     * @return a new builder
     */
    public static Builder newBuilder() {
        return new Builder();
    }

    /** How traffic between nodes is protected. */
    public enum Security {
        /** No encryption and no authentication: only for tests and trusted networks. Scheme {@code grpc://}. */
        PLAINTEXT,
        /** TLS: the server authenticates itself to clients. Scheme {@code grpcs://}. */
        TLS,
        /** Mutual TLS: both sides authenticate with certificates signed by a trusted CA. Scheme {@code grpcs://}. */
        MUTUAL_TLS
    }

    /**
     * Key and trust material, read from files when the transport starts. The node's own identity is either a PEM
     * certificate chain with a PEM PKCS#8 private key, or a PKCS#12 key store; peers are trusted by the PEM
     * certificates in {@code trustCertificates} (or the JDK's default trust store if absent, TLS only).
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

    /** Builds {@link GrpcTransportOptions}; starts from the defaults listed at {@link #newBuilder()}. Not thread-safe. */
    public static final class Builder {
        private Security security;
        private Tls tls;
        private int maxMessageBytes = 16 * 1024 * 1024;
        private int maxEntriesPerMessage = 100_000;
        private int maxQueuedMessages = 4096;
        private long maxQueuedBytes = 64L * 1024 * 1024;
        private int maxQueuedSnapshotChunks = 4;
        private int ioThreads = 1;
        private int callbackThreads = 2;
        private Duration connectTimeout = Duration.ofSeconds(3);
        private Duration keepAliveTime = Duration.ofSeconds(10);
        private Duration keepAliveTimeout = Duration.ofSeconds(5);
        private Duration reconnectBackoffMin = Duration.ofMillis(100);
        private Duration reconnectBackoffMax = Duration.ofSeconds(1);
        private Duration stallTimeout = Duration.ofSeconds(15);
        private Duration shutdownTimeout = Duration.ofSeconds(5);

        private Builder() {}

        /**
         * Chooses plaintext: no encryption or authentication, {@code grpc://} addresses.
         *
         * @return this builder
         */
        public Builder plaintext() {
            security = Security.PLAINTEXT;
            tls = null;
            return this;
        }

        /**
         * Chooses TLS (server authentication), {@code grpcs://} addresses.
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
         * Chooses mutual TLS: every connection is authenticated both ways, {@code grpcs://} addresses.
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
         * Sets {@link GrpcTransportOptions#maxMessageBytes()}.
         *
         * @param value bytes
         * @return this builder
         */
        public Builder maxMessageBytes(int value) {
            maxMessageBytes = value;
            return this;
        }

        /**
         * Sets {@link GrpcTransportOptions#maxEntriesPerMessage()}.
         *
         * @param value entries
         * @return this builder
         */
        public Builder maxEntriesPerMessage(int value) {
            maxEntriesPerMessage = value;
            return this;
        }

        /**
         * Sets {@link GrpcTransportOptions#maxQueuedMessages()}.
         *
         * @param value messages per peer
         * @return this builder
         */
        public Builder maxQueuedMessages(int value) {
            maxQueuedMessages = value;
            return this;
        }

        /**
         * Sets {@link GrpcTransportOptions#maxQueuedBytes()}.
         *
         * @param value bytes per peer
         * @return this builder
         */
        public Builder maxQueuedBytes(long value) {
            maxQueuedBytes = value;
            return this;
        }

        /**
         * Sets {@link GrpcTransportOptions#maxQueuedSnapshotChunks()}; keep it at least
         * {@code SnapshotConfig.maxInflightChunks()}.
         *
         * @param value chunks per peer, 1 to 1024
         * @return this builder
         */
        public Builder maxQueuedSnapshotChunks(int value) {
            maxQueuedSnapshotChunks = value;
            return this;
        }

        /**
         * Sets {@link GrpcTransportOptions#ioThreads()}.
         *
         * @param value threads
         * @return this builder
         */
        public Builder ioThreads(int value) {
            ioThreads = value;
            return this;
        }

        /**
         * Sets {@link GrpcTransportOptions#callbackThreads()}.
         *
         * @param value threads
         * @return this builder
         */
        public Builder callbackThreads(int value) {
            callbackThreads = value;
            return this;
        }

        /**
         * Sets {@link GrpcTransportOptions#connectTimeout()}.
         *
         * @param value the timeout
         * @return this builder
         */
        public Builder connectTimeout(Duration value) {
            connectTimeout = value;
            return this;
        }

        /**
         * Sets {@link GrpcTransportOptions#keepAliveTime()} and {@link GrpcTransportOptions#keepAliveTimeout()}.
         *
         * @param time idle time before a PING
         * @param timeout how long a PING may go unanswered
         * @return this builder
         */
        public Builder keepAlive(Duration time, Duration timeout) {
            keepAliveTime = time;
            keepAliveTimeout = timeout;
            return this;
        }

        /**
         * Sets {@link GrpcTransportOptions#reconnectBackoffMin()} and
         * {@link GrpcTransportOptions#reconnectBackoffMax()}.
         *
         * @param min the first delay
         * @param max the largest delay, and the longest interval between connection probes to an unreachable peer
         * @return this builder
         */
        public Builder reconnectBackoff(Duration min, Duration max) {
            reconnectBackoffMin = min;
            reconnectBackoffMax = max;
            return this;
        }

        /**
         * Sets {@link GrpcTransportOptions#stallTimeout()}.
         *
         * @param value the timeout
         * @return this builder
         */
        public Builder stallTimeout(Duration value) {
            stallTimeout = value;
            return this;
        }

        /**
         * Sets {@link GrpcTransportOptions#shutdownTimeout()}.
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
        public GrpcTransportOptions build() {
            return new GrpcTransportOptions(security, Optional.ofNullable(tls), maxMessageBytes, maxEntriesPerMessage,
                    maxQueuedMessages, maxQueuedBytes, maxQueuedSnapshotChunks, ioThreads, callbackThreads,
                    connectTimeout, keepAliveTime, keepAliveTimeout, reconnectBackoffMin, reconnectBackoffMax,
                    stallTimeout, shutdownTimeout);
        }
    }
}
