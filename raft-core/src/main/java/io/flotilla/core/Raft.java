package io.flotilla.core;

import io.flotilla.ClusterConfig;
import io.flotilla.ClusterId;
import io.flotilla.InvalidConfigException;
import io.flotilla.NodeFailedException;
import io.flotilla.NodeId;
import io.flotilla.ProviderSelectionException;
import io.flotilla.RaftConfig;
import io.flotilla.RaftEventListener;
import io.flotilla.RaftNode;
import io.flotilla.core.internal.discovery.Backends;
import io.flotilla.core.internal.loop.NodeFactory;
import io.flotilla.core.internal.loop.NodeSpec;
import io.flotilla.core.internal.loop.ThreadedRuntime;
import io.flotilla.spi.LogStoreProvider;
import io.flotilla.spi.StateMachine;
import io.flotilla.spi.Storage;
import io.flotilla.spi.Transport;
import io.flotilla.spi.TransportProvider;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Entry point of Flotilla: {@link #newBuilder()} assembles a {@link RaftNode}.
 *
 * <h2>Example</h2>
 * <pre>{@code
 * RaftNode node = Raft.newBuilder()
 *     .clusterId(ClusterId.of("orders"))
 *     .nodeId(NodeId.of("n1"))
 *     .initialConfig(ClusterConfig.ofVoters(Map.of(
 *         NodeId.of("n1"), URI.create("grpc://10.0.0.1:7000"),
 *         NodeId.of("n2"), URI.create("grpc://10.0.0.2:7000"),
 *         NodeId.of("n3"), URI.create("grpc://10.0.0.3:7000"))))
 *     .storage(URI.create("file:///var/lib/orders/n1"))
 *     .stateMachine(new OrdersStateMachine())
 *     .build();
 * node.start();
 * }</pre>
 *
 * <h2>Choosing backends</h2>
 * A {@link Transport} or {@link Storage} instance passed to the builder is always used as is. Otherwise the
 * transport is created by the one {@link TransportProvider} that supports the node's own address in
 * {@link Builder#initialConfig(ClusterConfig)}, and the storage is opened by the one {@link LogStoreProvider} that
 * supports the {@link Builder#storage(URI) storage URI}; providers are found with {@link java.util.ServiceLoader}
 * (see {@link io.flotilla.spi.Providers}). None or several qualifying providers is an error naming every
 * candidate; nothing is picked silently.
 *
 * <h2>Threading</h2>
 * Each node runs on four threads of its own ({@code flotilla-<node>-loop}, {@code -storage}, {@code -apply},
 * {@code -snapshot}),
 * created when it starts and ended by {@link RaftNode#close()}.
 */
public final class Raft {
    private Raft() {}

    /**
     * Returns a new, empty builder.
     *
     * @return a builder
     */
    public static Builder newBuilder() {
        return new Builder();
    }

    /**
     * Assembles one {@link RaftNode}. Setters only record their argument (rejecting {@code null}); every rule is
     * checked in {@link #build()}, which reports all violations at once. Not thread-safe; a builder may build more
     * than once only if given fresh backend instances each time.
     */
    public static final class Builder {
        private ClusterId clusterId;
        private NodeId nodeId;
        private ClusterConfig initialConfig;
        private RaftConfig config;
        private StateMachine stateMachine;
        private Transport transport;
        private Storage storage;
        private URI storageUri;
        private RaftEventListener listener = RaftEventListener.NONE;
        private Backends backends = Backends.serviceLoader();

        private Builder() {}

        /**
         * Sets the cluster id, which transports stamp on every message. Required.
         *
         * @param clusterId the cluster
         * @return this builder
         */
        public Builder clusterId(ClusterId clusterId) {
            this.clusterId = Objects.requireNonNull(clusterId, "clusterId");
            return this;
        }

        /**
         * Sets this node's id, stable across restarts. Required; must be a member of the initial configuration.
         *
         * @param nodeId the node
         * @return this builder
         */
        public Builder nodeId(NodeId nodeId) {
            this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
            return this;
        }

        /**
         * Sets the bootstrap membership, used when the node's storage holds no configuration yet (a configuration
         * recovered from storage always takes precedence). The node's own address, which its transport listens
         * on, is taken from it. Required.
         *
         * @param initialConfig the membership, including this node
         * @return this builder
         */
        public Builder initialConfig(ClusterConfig initialConfig) {
            this.initialConfig = Objects.requireNonNull(initialConfig, "initialConfig");
            return this;
        }

        /**
         * Sets the protocol tuning. Optional: {@link RaftConfig#defaults()} if not set.
         *
         * @param config the tuning
         * @return this builder
         */
        public Builder config(RaftConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Sets the application's state machine. Required.
         *
         * @param stateMachine the state machine
         * @return this builder
         */
        public Builder stateMachine(StateMachine stateMachine) {
            this.stateMachine = Objects.requireNonNull(stateMachine, "stateMachine");
            return this;
        }

        /**
         * Sets the transport explicitly, instead of discovering one for the node's address. The node owns it
         * from then on and closes it.
         *
         * @param transport an unstarted transport
         * @return this builder
         */
        public Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /**
         * Sets the stores explicitly; wins over {@link #storage(URI)}. The node owns them and closes them.
         *
         * @param storage opened stores
         * @return this builder
         */
        public Builder storage(Storage storage) {
            this.storage = Objects.requireNonNull(storage, "storage");
            return this;
        }

        /**
         * Sets where the stores live, such as {@code file:///var/lib/raft/n1}; the one storage provider that
         * supports the URI opens them in {@link #build()}. One of the two {@code storage} methods is required.
         *
         * @param location the storage URI
         * @return this builder
         */
        public Builder storage(URI location) {
            this.storageUri = Objects.requireNonNull(location, "location");
            return this;
        }

        /**
         * Sets the listener notified of role, leader, term and configuration changes and of failure. Optional.
         *
         * @param listener the listener; see {@link RaftEventListener} for its rules
         * @return this builder
         */
        public Builder listener(RaftEventListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Replaces provider discovery (tests in this package). */
        Builder backends(Backends backends) {
            this.backends = Objects.requireNonNull(backends, "backends");
            return this;
        }

        /**
         * Validates, chooses and opens the backends, and assembles the node. The node is not started: call
         * {@link RaftNode#start()}.
         *
         * @return the node
         * @throws InvalidConfigException listing every problem: missing required settings, a node id outside the
         *     initial configuration, and backends that cannot be chosen (each such problem also attached as a
         *     suppressed {@link ProviderSelectionException})
         * @throws NodeFailedException if the storage location cannot be opened
         * @throws IllegalArgumentException if the chosen transport provider rejects the node's address
         */
        public RaftNode build() {
            List<String> problems = new ArrayList<>();
            List<ProviderSelectionException> selection = new ArrayList<>();
            if (clusterId == null) {
                problems.add("clusterId is required");
            }
            if (nodeId == null) {
                problems.add("nodeId is required");
            }
            if (initialConfig == null) {
                problems.add("initialConfig is required (the bootstrap membership, including this node)");
            } else if (nodeId != null && !initialConfig.contains(nodeId)) {
                problems.add("nodeId " + nodeId + " is not a member of initialConfig " + initialConfig.members());
            }
            if (stateMachine == null) {
                problems.add("stateMachine is required");
            }
            if (storage == null && storageUri == null) {
                problems.add("storage is required: pass storage(Storage) or storage(URI)");
            }
            TransportProvider transportProvider = null;
            URI address = null;
            if (transport == null && initialConfig != null && nodeId != null && initialConfig.contains(nodeId)) {
                address = initialConfig.addresses().get(nodeId);
                try {
                    transportProvider = backends.transportProvider(address);
                } catch (ProviderSelectionException e) {
                    problems.add(e.getMessage());
                    selection.add(e);
                }
            }
            LogStoreProvider storageProvider = null;
            if (storage == null && storageUri != null) {
                try {
                    storageProvider = backends.storageProvider(storageUri);
                } catch (ProviderSelectionException e) {
                    problems.add(e.getMessage());
                    selection.add(e);
                }
            }
            if (!problems.isEmpty()) {
                InvalidConfigException e = new InvalidConfigException("Raft node", problems);
                selection.forEach(e::addSuppressed);
                throw e;
            }
            Storage stores = storage;
            if (stores == null) {
                try {
                    stores = Backends.openStorage(storageProvider, storageUri, nodeId);
                } catch (IOException e) {
                    throw new NodeFailedException("cannot open storage at " + storageUri + " for node " + nodeId, e);
                }
            }
            Transport net = transport;
            if (net == null) {
                try {
                    net = Backends.createTransport(transportProvider, address, clusterId, nodeId);
                } catch (RuntimeException e) {
                    if (storage == null) {
                        closeQuietly(stores, e);
                    }
                    throw e;
                }
            }
            RaftConfig tuning = config != null ? config : RaftConfig.defaults();
            return NodeFactory.create(new NodeSpec(clusterId, nodeId, initialConfig, tuning, stateMachine, net,
                    stores, new ThreadedRuntime(nodeId), listener, Set.of()));
        }

        private static void closeQuietly(Storage stores, RuntimeException primary) {
            try {
                stores.close();
            } catch (IOException | RuntimeException e) {
                primary.addSuppressed(e);
            }
        }
    }
}
