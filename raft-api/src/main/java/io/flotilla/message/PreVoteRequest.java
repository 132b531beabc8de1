package io.flotilla.message;

import io.flotilla.NodeId;

/**
 * Asks whether the receiver would vote for the sender in {@code term} (thesis §9.6), without the receiver
 * changing its own term or vote. Sent by a pre-candidate; {@code term} is its current term plus one.
 *
 * @param from the pre-candidate
 * @param to the voter asked
 * @param term the term the sender would campaign in
 * @param lastLogIndex index of the sender's last log entry (§5.4.1)
 * @param lastLogTerm term of the sender's last log entry (§5.4.1)
 */
public record PreVoteRequest(NodeId from, NodeId to, long term, long lastLogIndex, long lastLogTerm)
        implements RaftMessage {
    /**
     * Validates the message.
     *
     * @param from the sender
     * @param to the addressee
     * @param term the prospective term
     * @param lastLogIndex the sender's last index
     * @param lastLogTerm the sender's last term
     */
    public PreVoteRequest {
        Checks.header(from, to, term);
        Checks.nonNegative("lastLogIndex", lastLogIndex);
        Checks.nonNegative("lastLogTerm", lastLogTerm);
    }
}
