package io.flotilla;

import java.util.Optional;

/**
 * The node is not the leader, so it cannot accept a proposal, a linearizable read or a membership change.
 *
 * <p><b>Retry:</b> safe. The operation was never accepted; send it to {@link #leaderHint()} if present,
 * otherwise retry after a short back-off (an election is probably under way).
 */
public final class NotLeaderException extends RaftException {
    private static final long serialVersionUID = 1L;

    private final transient NodeId leaderHint;

    /**
     * Creates the exception.
     *
     * @param self the node that refused
     * @param leaderHint the leader this node knows of, if any
     */
    public NotLeaderException(NodeId self, Optional<NodeId> leaderHint) {
        super("node " + self + " is not the leader" + leaderHint.map(l -> "; leader is " + l).orElse("; leader unknown"),
                null);
        this.leaderHint = leaderHint.orElse(null);
    }

    /**
     * Returns the leader the refusing node knows of.
     *
     * @return the leader's id, or empty if no leader is known
     */
    public Optional<NodeId> leaderHint() {
        return Optional.ofNullable(leaderHint);
    }

    @Override
    public boolean isRetrySafe() {
        return true;
    }
}
