package io.flotilla.message;

import io.flotilla.NodeId;

/**
 * Answers a {@link PreVoteRequest}.
 *
 * @param from the voter
 * @param to the pre-candidate
 * @param term the term of the request when granted; the voter's own term when refused
 * @param granted whether the voter would vote for the sender
 */
public record PreVoteResponse(NodeId from, NodeId to, long term, boolean granted) implements RaftMessage {
    /**
     * Validates the message.
     *
     * @param from the sender
     * @param to the addressee
     * @param term the term
     * @param granted whether granted
     */
    public PreVoteResponse {
        Checks.header(from, to, term);
    }
}
