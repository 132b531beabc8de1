package io.flotilla.core.internal.loop;

import io.flotilla.ClusterConfig;
import io.flotilla.ClusterId;
import io.flotilla.NodeId;
import io.flotilla.RaftConfig;
import io.flotilla.RaftEventListener;
import io.flotilla.core.internal.protocol.SeededBug;
import io.flotilla.spi.StateMachine;
import io.flotilla.spi.Storage;
import io.flotilla.spi.Transport;
import java.util.Objects;
import java.util.Set;

/**
 * Everything one node is assembled from: the public builder fills it from user input and discovered providers,
 * the simulator fills it with its virtual runtime, in-memory backends and (in "teeth" tests) seeded bugs. Passed
 * to {@link NodeFactory#create(NodeSpec)}.
 *
 * <p>The node takes ownership of {@code transport}, {@code storage} and {@code runtime}: {@code RaftNode.close()}
 * closes all three.
 *
 * @param clusterId the cluster
 * @param self this node; must be a member of {@code initialConfig}
 * @param initialConfig the bootstrap membership, used when storage holds no configuration
 * @param config protocol tuning
 * @param stateMachine the application state
 * @param transport an unstarted transport
 * @param storage opened stores
 * @param runtime threads, time and randomness
 * @param listener event listener ({@link RaftEventListener#NONE} for none)
 * @param seededBugs test-only bug switches; empty in production
 */
public record NodeSpec(ClusterId clusterId, NodeId self, ClusterConfig initialConfig, RaftConfig config,
        StateMachine stateMachine, Transport transport, Storage storage, NodeRuntime runtime,
        RaftEventListener listener, Set<SeededBug> seededBugs) {

    /** Validates and freezes. */
    public NodeSpec {
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(initialConfig, "initialConfig");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(stateMachine, "stateMachine");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(listener, "listener");
        seededBugs = Set.copyOf(seededBugs);
    }
}
