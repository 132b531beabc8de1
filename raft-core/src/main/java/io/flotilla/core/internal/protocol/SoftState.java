package io.flotilla.core.internal.protocol;

import io.flotilla.NodeId;
import io.flotilla.Role;
import java.util.Optional;

/**
 * Volatile state reported when it changes: the node's role and the leader it knows.
 *
 * @param role the role
 * @param leader the known leader
 * @param term the current term
 */
public record SoftState(Role role, Optional<NodeId> leader, long term) {}
