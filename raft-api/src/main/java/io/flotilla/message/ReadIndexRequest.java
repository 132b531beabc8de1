package io.flotilla.message;

import io.flotilla.NodeId;

/**
 * A follower asks the leader for a read index so it can serve a linearizable read locally once it has applied
 * that far (thesis §6.4, "follower reads").
 *
 * @param from the follower
 * @param to the leader
 * @param term the follower's term
 * @param requestId an id chosen by the follower to match the response
 */
public record ReadIndexRequest(NodeId from, NodeId to, long term, long requestId) implements RaftMessage {
    /**
     * Validates the message.
     *
     * @param from the sender
     * @param to the addressee
     * @param term the term
     * @param requestId the request id
     */
    public ReadIndexRequest {
        Checks.header(from, to, term);
    }
}
