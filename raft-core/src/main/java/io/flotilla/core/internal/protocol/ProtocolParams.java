package io.flotilla.core.internal.protocol;

import io.flotilla.NodeId;
import io.flotilla.RaftConfig;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Fixed inputs of one {@link RaftProtocol} instance.
 *
 * @param self this node
 * @param config protocol tuning
 * @param random the only source of randomness (election timeouts); seeded in simulations
 * @param seededBugs test-only bug switches; empty in production
 */
public record ProtocolParams(NodeId self, RaftConfig config, RandomGenerator random, Set<SeededBug> seededBugs) {
    /** Validates and freezes. */
    public ProtocolParams {
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(random, "random");
        seededBugs = Set.copyOf(seededBugs);
    }
}
