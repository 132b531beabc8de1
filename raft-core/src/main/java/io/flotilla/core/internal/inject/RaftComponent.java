package io.flotilla.core.internal.inject;

import dagger.BindsInstance;
import dagger.Component;
import io.flotilla.ClusterConfig;
import io.flotilla.ClusterId;
import io.flotilla.NodeId;
import io.flotilla.RaftConfig;
import io.flotilla.RaftEventListener;
import io.flotilla.core.internal.loop.EventLoopRaftNode;
import io.flotilla.core.internal.loop.NodeRuntime;
import io.flotilla.core.internal.loop.NodeSpec;
import io.flotilla.core.internal.protocol.SeededBug;
import io.flotilla.spi.StateMachine;
import io.flotilla.spi.Storage;
import io.flotilla.spi.Transport;
import jakarta.inject.Singleton;
import java.util.Set;

/**
 * The Dagger component that wires one node: the parts of a {@link NodeSpec} come in through
 * {@link BindsInstance}; the event loop, the storage and apply pipelines and the pending-operation registry are
 * built by their {@code @Inject} constructors, one of each per component ({@link Singleton} = per node).
 *
 * <p>Dagger stays inside raft-core: neither this package nor the generated code is exported, and SPI implementors
 * never see it.
 */
@Singleton
@Component(modules = LoopModule.class)
public interface RaftComponent {

    /** @return the node */
    EventLoopRaftNode node();

    /**
     * Builds a component for one node.
     *
     * @param spec the node's parts
     * @return the component
     */
    static RaftComponent create(NodeSpec spec) {
        return DaggerRaftComponent.factory().create(spec.clusterId(), spec.self(), spec.initialConfig(),
                spec.config(), spec.stateMachine(), spec.transport(), spec.storage(), spec.runtime(),
                spec.listener(), spec.seededBugs());
    }

    /** Creates the component from the spec's parts. */
    @Component.Factory
    interface Factory {
        /**
         * @param clusterId the cluster
         * @param self this node
         * @param initialConfig bootstrap membership
         * @param config tuning
         * @param stateMachine the application
         * @param transport the transport
         * @param storage the stores
         * @param runtime threads, time, randomness
         * @param listener event listener
         * @param seededBugs test-only bugs
         * @return the component
         */
        RaftComponent create(@BindsInstance ClusterId clusterId, @BindsInstance NodeId self,
                @BindsInstance ClusterConfig initialConfig, @BindsInstance RaftConfig config,
                @BindsInstance StateMachine stateMachine, @BindsInstance Transport transport,
                @BindsInstance Storage storage, @BindsInstance NodeRuntime runtime,
                @BindsInstance RaftEventListener listener, @BindsInstance Set<SeededBug> seededBugs);
    }
}
