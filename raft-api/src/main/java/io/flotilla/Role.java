package io.flotilla;

/** The role a node plays at one moment (§5.1), plus the terminal states of the node itself. */
public enum Role {
    /** Follows a leader, or waits for one; a learner also reports this role. */
    FOLLOWER,
    /** Probing with pre-votes whether it could win an election, without raising its term (thesis §9.6). */
    PRE_CANDIDATE,
    /** Campaigning for votes in a new term (§5.2). */
    CANDIDATE,
    /** Accepting proposals and replicating the log (§5.3). */
    LEADER,
    /** Stopped after an unrecoverable failure; see {@link NodeFailedException}. */
    FAILED,
    /** Closed by the application. */
    STOPPED
}
