package io.flotilla;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A point-in-time view of one node, for monitoring and tests. Obtained from {@link RaftNode#status()}; the
 * fields are consistent with each other (taken together on the node's event loop).
 *
 * @param self this node
 * @param role its role
 * @param term its current term
 * @param leader the leader it knows of, if any
 * @param commitIndex the highest index known to be committed (§5.3)
 * @param appliedIndex the highest index applied to the state machine
 * @param lastLogIndex the index of the last entry in its log
 * @param snapshotIndex the last index covered by its latest snapshot, 0 if none
 * @param config the configuration in force on this node
 * @param peers the leader's view of every other member; empty unless this node leads
 * @param failure why the node failed, if it is {@link Role#FAILED}
 */
public record RaftStatus(
        NodeId self,
        Role role,
        long term,
        Optional<NodeId> leader,
        long commitIndex,
        long appliedIndex,
        long lastLogIndex,
        long snapshotIndex,
        ClusterConfig config,
        List<PeerStatus> peers,
        Optional<String> failure) {
    /**
     * Validates and freezes the status.
     *
     * @param self this node
     * @param role its role
     * @param term its term
     * @param leader the known leader
     * @param commitIndex the commit index
     * @param appliedIndex the applied index
     * @param lastLogIndex the last log index
     * @param snapshotIndex the snapshot index
     * @param config the configuration
     * @param peers the peers' progress
     * @param failure the failure reason
     */
    public RaftStatus {
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(leader, "leader");
        Objects.requireNonNull(config, "config");
        peers = List.copyOf(peers);
        Objects.requireNonNull(failure, "failure");
    }
}
