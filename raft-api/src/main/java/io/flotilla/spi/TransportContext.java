package io.flotilla.spi;

import io.flotilla.ClusterId;
import io.flotilla.NodeId;
import java.util.Objects;

/**
 * What a transport needs to know about the node it serves.
 *
 * @param clusterId stamped on every outgoing message; inbound messages with another id are dropped and logged
 * @param self the local node; inbound messages addressed to another node are dropped and logged
 */
public record TransportContext(ClusterId clusterId, NodeId self) {
    /**
     * Validates the context.
     *
     * @param clusterId the cluster
     * @param self the local node
     */
    public TransportContext {
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(self, "self");
    }
}
