package io.flotilla.message;

import io.flotilla.NodeId;

/**
 * Tells an up-to-date follower to start an election at once, skipping pre-vote, to complete a leadership
 * transfer (thesis §3.10).
 *
 * @param from the leader handing over
 * @param to the transfer target
 * @param term the leader's term
 */
public record TimeoutNow(NodeId from, NodeId to, long term) implements RaftMessage {
    /**
     * Validates the message.
     *
     * @param from the sender
     * @param to the addressee
     * @param term the term
     */
    public TimeoutNow {
        Checks.header(from, to, term);
    }
}
