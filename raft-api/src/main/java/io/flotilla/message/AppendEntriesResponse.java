package io.flotilla.message;

import io.flotilla.NodeId;

/**
 * Answers an {@link AppendEntriesRequest} (§5.3).
 *
 * <p>On success, {@code matchIndex} is the last index the follower now holds that matches the leader's log
 * (the request's {@code prevLogIndex + entries.size()}); the follower sends it only once those entries are
 * durable. On rejection, {@code rejectedIndex} echoes the request's {@code prevLogIndex}, and the conflict
 * hints let the leader skip a whole term at a time instead of one entry per round trip (§5.3, "the follower
 * can include the term of the conflicting entry and the first index it stores for that term"):
 * {@code conflictTerm} is the follower's term at {@code rejectedIndex} (0 if its log is shorter) and
 * {@code conflictIndex} is the first index of that term in its log, or its last index + 1 if the log is
 * shorter.
 *
 * @param from the follower
 * @param to the leader
 * @param term the follower's current term
 * @param success whether the entries were appended
 * @param matchIndex on success, the last matching index; otherwise 0
 * @param rejectedIndex on rejection, the request's {@code prevLogIndex}; otherwise 0
 * @param conflictTerm on rejection, the follower's term at {@code rejectedIndex}, or 0
 * @param conflictIndex on rejection, the first index the leader should try next
 * @param lastLogIndex the follower's last log index
 */
public record AppendEntriesResponse(
        NodeId from, NodeId to, long term, boolean success, long matchIndex, long rejectedIndex,
        long conflictTerm, long conflictIndex, long lastLogIndex) implements RaftMessage {
    /**
     * Validates the message.
     *
     * @param from the sender
     * @param to the addressee
     * @param term the term
     * @param success whether appended
     * @param matchIndex the match index
     * @param rejectedIndex the rejected index
     * @param conflictTerm the conflict term hint
     * @param conflictIndex the conflict index hint
     * @param lastLogIndex the follower's last index
     */
    public AppendEntriesResponse {
        Checks.header(from, to, term);
        Checks.nonNegative("matchIndex", matchIndex);
        Checks.nonNegative("rejectedIndex", rejectedIndex);
        Checks.nonNegative("conflictTerm", conflictTerm);
        Checks.nonNegative("conflictIndex", conflictIndex);
        Checks.nonNegative("lastLogIndex", lastLogIndex);
    }
}
