package io.flotilla.core.internal.quorum;

import io.flotilla.NodeId;

/**
 * Reports, for one voter, the highest index (or read context) it has acknowledged. A primitive callback so quorum
 * arithmetic on the hot path neither boxes nor allocates a map.
 *
 * <p><b>Threading:</b> called synchronously on the caller's thread (the event loop).
 */
@FunctionalInterface
public interface AckedIndexer {
    /**
     * @param voter a voter of the configuration being evaluated
     * @return the index it acknowledged, or 0 if it has acknowledged nothing (or is unknown)
     */
    long ackedIndex(NodeId voter);
}
