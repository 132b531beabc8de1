package io.flotilla.message;

import io.flotilla.NodeId;

/**
 * A leader's heartbeat (§5.2): asserts leadership and advances the follower's commit index without carrying
 * entries, so it never disturbs the pipelined append stream. It also confirms leadership for linearizable
 * reads (thesis §6.4): the follower echoes {@code readContext}, and the leader serves reads registered up to
 * that context once a quorum has echoed it.
 *
 * @param from the leader
 * @param to the follower or learner
 * @param term the leader's term
 * @param commitIndex the commit index the follower may adopt: at most the follower's known match index
 * @param readContext a sequence number the leader increments for each read-confirmation round; 0 if none
 */
public record HeartbeatRequest(NodeId from, NodeId to, long term, long commitIndex, long readContext)
        implements RaftMessage {
    /**
     * Validates the message.
     *
     * @param from the sender
     * @param to the addressee
     * @param term the term
     * @param commitIndex the commit index
     * @param readContext the read context
     */
    public HeartbeatRequest {
        Checks.header(from, to, term);
        Checks.nonNegative("commitIndex", commitIndex);
        Checks.nonNegative("readContext", readContext);
    }
}
