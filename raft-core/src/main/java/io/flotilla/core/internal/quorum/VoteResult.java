package io.flotilla.core.internal.quorum;

/** The outcome of counting votes against a quorum configuration (§5.2). */
public enum VoteResult {
    /** Not decided yet: neither a quorum of grants nor of rejections. */
    PENDING,
    /** A quorum has rejected: the election cannot be won. */
    LOST,
    /** A quorum has granted. */
    WON
}
