package io.flotilla;

import java.util.Optional;

/**
 * Receives notifications of changes in a node's Raft state, for logging, metrics and tests.
 *
 * <h2>Threading</h2>
 * Called on the node's event-loop thread, in the order the changes happen. Implementations must be fast,
 * must not block and must not throw: a slow listener slows the whole node, and exceptions are caught and
 * logged. Every method has an empty default, so implement only what you need.
 */
public interface RaftEventListener {

    /**
     * The node's role changed.
     *
     * @param self the node
     * @param from the previous role
     * @param to the new role
     * @param term the term in which the change happened
     */
    default void onRoleChanged(NodeId self, Role from, Role to, long term) {}

    /**
     * The leader known to the node changed, including to "none".
     *
     * @param self the node
     * @param leader the new leader, or empty while unknown
     * @param term the current term
     */
    default void onLeaderChanged(NodeId self, Optional<NodeId> leader, long term) {}

    /**
     * The node's current term increased.
     *
     * @param self the node
     * @param term the new term
     */
    default void onTermChanged(NodeId self, long term) {}

    /**
     * The configuration in force on the node changed (it was appended, or a snapshot installed).
     *
     * @param self the node
     * @param config the new configuration
     */
    default void onConfigChanged(NodeId self, ClusterConfig config) {}

    /**
     * The node failed and stopped serving; see {@link NodeFailedException}.
     *
     * @param self the node
     * @param cause what failed
     */
    default void onFailed(NodeId self, Throwable cause) {}

    /** A listener that ignores every event. */
    RaftEventListener NONE = new RaftEventListener() {};
}
