package io.flotilla.message;

import io.flotilla.NodeId;

/**
 * Answers a {@link ReadIndexRequest}: once the leader has confirmed its leadership, it returns its commit index
 * as the read index.
 *
 * @param from the leader
 * @param to the follower
 * @param term the leader's term
 * @param requestId the request's id, echoed
 * @param success whether the leader could confirm leadership (false: retry, possibly elsewhere)
 * @param readIndex the read index when {@code success}, otherwise 0
 */
public record ReadIndexResponse(NodeId from, NodeId to, long term, long requestId, boolean success, long readIndex)
        implements RaftMessage {
    /**
     * Validates the message.
     *
     * @param from the sender
     * @param to the addressee
     * @param term the term
     * @param requestId the echoed id
     * @param success whether confirmed
     * @param readIndex the read index
     */
    public ReadIndexResponse {
        Checks.header(from, to, term);
        Checks.nonNegative("readIndex", readIndex);
    }
}
