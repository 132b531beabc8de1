package io.flotilla.core.internal.protocol;

/**
 * Classic Raft implementation bugs that tests can switch back on, to prove that the simulator and the invariant
 * checkers catch them ("teeth"). Never enabled outside tests: the only way in is
 * {@link ProtocolParams#seededBugs()}, which production wiring always leaves empty.
 */
public enum SeededBug {
    /** Commit an entry of a previous term by counting replicas (violates §5.4.2, Figure 8). */
    COMMIT_PREVIOUS_TERM_BY_COUNTING,
    /** Send vote grants before the vote is durable (violates §5.1 persistence rule). */
    VOTE_BEFORE_PERSIST,
    /** Compare logs by last index only in the up-to-date check (violates §5.4.1). */
    UP_TO_DATE_BY_INDEX_ONLY,
    /** Count the leader's own log toward commit before its write is durable (violates thesis §10.2.1). */
    LEADER_ACK_BEFORE_DURABLE,
    /** Follower sets commit = leaderCommit instead of min(leaderCommit, index of last new entry) (Figure 2). */
    FOLLOWER_COMMIT_BEYOND_LAST_NEW
}
