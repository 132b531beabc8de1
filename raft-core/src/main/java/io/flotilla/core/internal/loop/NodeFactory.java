package io.flotilla.core.internal.loop;

import io.flotilla.RaftNode;
import io.flotilla.core.internal.inject.RaftComponent;

/**
 * Assembles a node from a {@link NodeSpec}, through the same dependency-injection component as the public
 * builder ({@code io.flotilla.core.Raft}). The simulator calls it directly with its virtual runtime.
 *
 * <p><b>Threading:</b> thread-safe; each call builds an independent node.
 */
public final class NodeFactory {
    private NodeFactory() {}

    /**
     * Builds a node; it is not started (call {@link RaftNode#start()}).
     *
     * @param spec what the node is made of
     * @return the node, owning the spec's transport, storage and runtime
     */
    public static RaftNode create(NodeSpec spec) {
        return RaftComponent.create(spec).node();
    }
}
