package io.flotilla.core.internal.quorum;

import io.flotilla.NodeId;

/**
 * Reports how one voter answered a (pre-)vote request. A callback rather than a {@code Map<NodeId, Boolean>} so
 * the caller decides how votes are stored.
 */
@FunctionalInterface
public interface VoteSource {
    /** No answer from this voter yet. */
    int MISSING = 0;
    /** The voter granted. */
    int GRANTED = 1;
    /** The voter refused. */
    int REJECTED = 2;

    /**
     * @param voter a voter
     * @return {@link #MISSING}, {@link #GRANTED} or {@link #REJECTED}
     */
    int vote(NodeId voter);
}
