package io.flotilla.message;

import io.flotilla.LogEntry;
import io.flotilla.NodeId;
import java.util.List;

/**
 * AppendEntries RPC (§5.3, Figure 2): the leader replicates {@code entries} that follow the entry at
 * {@code prevLogIndex}/{@code prevLogTerm}, and tells the follower how far the log is committed.
 *
 * @param from the leader
 * @param to the follower or learner
 * @param term the leader's term
 * @param prevLogIndex index of the entry just before {@code entries}
 * @param prevLogTerm term of that entry
 * @param entries the entries to append, consecutive from {@code prevLogIndex + 1}; may be empty
 * @param leaderCommit the leader's commit index
 */
public record AppendEntriesRequest(
        NodeId from, NodeId to, long term, long prevLogIndex, long prevLogTerm, List<LogEntry> entries,
        long leaderCommit) implements RaftMessage {
    /**
     * Validates the message; entries must be consecutive from {@code prevLogIndex + 1}.
     *
     * @param from the sender
     * @param to the addressee
     * @param term the term
     * @param prevLogIndex the previous index
     * @param prevLogTerm the previous term
     * @param entries the entries
     * @param leaderCommit the leader's commit index
     * @throws IllegalArgumentException if entries are not consecutive or a field is negative
     */
    public AppendEntriesRequest {
        Checks.header(from, to, term);
        Checks.nonNegative("prevLogIndex", prevLogIndex);
        Checks.nonNegative("prevLogTerm", prevLogTerm);
        Checks.nonNegative("leaderCommit", leaderCommit);
        entries = List.copyOf(entries);
        long expected = prevLogIndex + 1;
        for (LogEntry e : entries) {
            if (e.index() != expected) {
                throw new IllegalArgumentException(
                        "entries must be consecutive from prevLogIndex+1=" + (prevLogIndex + 1)
                                + ", found index " + e.index() + " where " + expected + " was expected");
            }
            expected++;
        }
    }

    /**
     * Returns the index of the last entry carried, or {@code prevLogIndex} if none.
     *
     * @return the last index covered by this message
     */
    public long lastIndex() {
        return prevLogIndex + entries.size();
    }
}
