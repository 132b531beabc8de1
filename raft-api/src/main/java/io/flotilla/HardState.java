package io.flotilla;

import java.util.Objects;
import java.util.Optional;

/**
 * The state a node must persist before it answers any RPC (§5.1, Figure 2 "persistent state"): its current
 * term and whom it voted for in that term.
 *
 * @param term the latest term the node has seen, at least 0
 * @param votedFor the candidate that received this node's vote in {@code term}, if any
 */
public record HardState(long term, Optional<NodeId> votedFor) {
    /** The state of a node that has never run: term 0, no vote. */
    public static final HardState INITIAL = new HardState(0, Optional.empty());

    /**
     * Validates the state.
     *
     * @param term the term, at least 0
     * @param votedFor the vote in that term, if any
     * @throws IllegalArgumentException if {@code term < 0}
     */
    public HardState {
        if (term < 0) {
            throw new IllegalArgumentException("term must be >= 0, got " + term);
        }
        Objects.requireNonNull(votedFor, "votedFor");
    }

    /**
     * Returns a state with a vote.
     *
     * @param term the term
     * @param votedFor the candidate voted for
     * @return the state
     */
    public static HardState of(long term, NodeId votedFor) {
        return new HardState(term, Optional.of(votedFor));
    }

    /**
     * Returns a state without a vote.
     *
     * @param term the term
     * @return the state
     */
    public static HardState of(long term) {
        return new HardState(term, Optional.empty());
    }
}
