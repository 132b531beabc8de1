package io.flotilla.message;

import io.flotilla.NodeId;

/**
 * A message between two Raft nodes. Every message carries its sender, its addressee and the sender's current
 * term, which the receiver compares with its own before anything else (§5.1).
 *
 * <p>The set of messages is closed: transports can encode every permitted subclass, and the core handles
 * every one (a test checks both).
 */
public sealed interface RaftMessage
        permits PreVoteRequest, PreVoteResponse, VoteRequest, VoteResponse,
                AppendEntriesRequest, AppendEntriesResponse, HeartbeatRequest, HeartbeatResponse,
                InstallSnapshotRequest, InstallSnapshotResponse, TimeoutNow,
                ReadIndexRequest, ReadIndexResponse {

    /**
     * Returns the sender.
     *
     * @return the node that sent the message
     */
    NodeId from();

    /**
     * Returns the addressee.
     *
     * @return the node the message is for
     */
    NodeId to();

    /**
     * Returns the sender's term (for a pre-vote request, the term it would campaign in).
     *
     * @return the term
     */
    long term();
}
