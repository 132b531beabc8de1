package io.flotilla;

import java.util.Objects;

/**
 * The leader's view of one follower or learner, as shown in {@link RaftStatus#peers()}.
 *
 * @param id the peer
 * @param voter whether the peer votes
 * @param matchIndex the highest index known to be replicated on the peer (§5.3)
 * @param nextIndex the next index the leader will send (§5.3)
 * @param state how the leader replicates to it
 * @param recentlyActive whether the peer answered within the last election timeout
 */
public record PeerStatus(
        NodeId id, boolean voter, long matchIndex, long nextIndex, ReplicationState state, boolean recentlyActive) {
    /**
     * Validates the status.
     *
     * @param id the peer
     * @param voter whether it votes
     * @param matchIndex its match index
     * @param nextIndex its next index
     * @param state its replication state
     * @param recentlyActive whether it answered recently
     */
    public PeerStatus {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
    }
}
