package io.flotilla.message;

import io.flotilla.NodeId;

/**
 * Answers a {@link HeartbeatRequest}.
 *
 * @param from the follower
 * @param to the leader
 * @param term the follower's current term
 * @param readContext the request's read context, echoed
 * @param lastLogIndex the follower's last log index, so the leader notices a follower that lost entries
 */
public record HeartbeatResponse(NodeId from, NodeId to, long term, long readContext, long lastLogIndex)
        implements RaftMessage {
    /**
     * Validates the message.
     *
     * @param from the sender
     * @param to the addressee
     * @param term the term
     * @param readContext the echoed context
     * @param lastLogIndex the follower's last index
     */
    public HeartbeatResponse {
        Checks.header(from, to, term);
        Checks.nonNegative("readContext", readContext);
        Checks.nonNegative("lastLogIndex", lastLogIndex);
    }
}
