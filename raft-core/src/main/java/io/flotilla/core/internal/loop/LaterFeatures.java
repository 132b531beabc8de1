package io.flotilla.core.internal.loop;

import io.flotilla.ClusterConfig;
import io.flotilla.NodeId;
import io.flotilla.RaftNode;
import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link RaftNode} operations whose issues are still open (membership changes, leadership transfer): each
 * answers at once with a future failed by {@link UnsupportedOperationException} naming the missing feature, so a
 * caller is never left waiting. Thread-safe; never blocks.
 */
abstract class LaterFeatures implements RaftNode {
    @Override
    public CompletableFuture<ClusterConfig> addLearner(NodeId id, URI address) {
        return unsupported("addLearner", "membership changes");
    }

    @Override
    public CompletableFuture<ClusterConfig> promoteToVoter(NodeId id) {
        return unsupported("promoteToVoter", "membership changes");
    }

    @Override
    public CompletableFuture<ClusterConfig> removeMember(NodeId id) {
        return unsupported("removeMember", "membership changes");
    }

    @Override
    public CompletableFuture<Void> transferLeadership(NodeId target) {
        return unsupported("transferLeadership", "leadership transfer (thesis §3.10)");
    }

    private static <T> CompletableFuture<T> unsupported(String op, String feature) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(
                op + " is not implemented yet: it arrives with the issue for " + feature));
    }
}
