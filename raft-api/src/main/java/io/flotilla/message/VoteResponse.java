package io.flotilla.message;

import io.flotilla.NodeId;

/**
 * Answers a {@link VoteRequest} (§5.2).
 *
 * @param from the voter
 * @param to the candidate
 * @param term the voter's current term
 * @param granted whether the vote was granted
 */
public record VoteResponse(NodeId from, NodeId to, long term, boolean granted) implements RaftMessage {
    /**
     * Validates the message.
     *
     * @param from the sender
     * @param to the addressee
     * @param term the term
     * @param granted whether granted
     */
    public VoteResponse {
        Checks.header(from, to, term);
    }
}
