package io.flotilla.message;

import io.flotilla.NodeId;

/**
 * Answers an {@link InstallSnapshotRequest} chunk. Receipt and installation are acknowledged separately: a
 * follower confirms each chunk as soon as it is written ({@code nextOffset}), and reports {@code installed}
 * once the whole snapshot is durable and its log continues from it; the state machine restores it afterwards, in
 * the background, so a slow restore never makes the leader resend the snapshot.
 *
 * @param from the follower
 * @param to the leader
 * @param term the follower's current term
 * @param lastIncludedIndex the snapshot this answers
 * @param nextOffset the offset the follower expects next (all bytes before it are written)
 * @param accepted false if the chunk was rejected (bad checksum, unexpected offset); the leader resumes at
 *     {@code nextOffset}
 * @param installed true once the whole snapshot is durable and the follower's log continues after it (also when
 *     the follower's log already covered it)
 */
public record InstallSnapshotResponse(
        NodeId from, NodeId to, long term, long lastIncludedIndex, long nextOffset, boolean accepted,
        boolean installed) implements RaftMessage {
    /**
     * Validates the message.
     *
     * @param from the sender
     * @param to the addressee
     * @param term the term
     * @param lastIncludedIndex the snapshot index
     * @param nextOffset the next expected offset
     * @param accepted whether the chunk was accepted
     * @param installed whether the snapshot is installed
     */
    public InstallSnapshotResponse {
        Checks.header(from, to, term);
        Checks.nonNegative("lastIncludedIndex", lastIncludedIndex);
        Checks.nonNegative("nextOffset", nextOffset);
    }
}
