package io.flotilla.message;

import io.flotilla.NodeId;

/**
 * RequestVote RPC (§5.2, Figure 2): a candidate asks for the receiver's vote in {@code term}.
 *
 * @param from the candidate
 * @param to the voter asked
 * @param term the candidate's term
 * @param lastLogIndex index of the candidate's last log entry (§5.4.1)
 * @param lastLogTerm term of the candidate's last log entry (§5.4.1)
 * @param leadershipTransfer whether the election was started by {@link TimeoutNow}, so voters that hear from a
 *     leader grant it anyway (thesis §3.10)
 */
public record VoteRequest(
        NodeId from, NodeId to, long term, long lastLogIndex, long lastLogTerm, boolean leadershipTransfer)
        implements RaftMessage {
    /**
     * Validates the message.
     *
     * @param from the sender
     * @param to the addressee
     * @param term the term
     * @param lastLogIndex the last index
     * @param lastLogTerm the last term
     * @param leadershipTransfer whether this is a transfer election
     */
    public VoteRequest {
        Checks.header(from, to, term);
        Checks.nonNegative("lastLogIndex", lastLogIndex);
        Checks.nonNegative("lastLogTerm", lastLogTerm);
    }
}
