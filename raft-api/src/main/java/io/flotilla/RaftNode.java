package io.flotilla;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * One member of a Raft cluster, running in this process.
 *
 * <p>Create one with {@code io.flotilla.core.Raft.newBuilder()} (module {@code io.flotilla.core}), then call
 * {@link #start()}. Every operation is asynchronous: it enqueues work for the node's single event-loop thread
 * and returns a {@link CompletableFuture} at once.
 *
 * <h2>Threading</h2>
 * All methods are thread-safe and never block on I/O or on the cluster. Futures complete on an internal
 * thread: do not block inside their callbacks; hand long work to your own executor
 * ({@code thenApplyAsync(fn, executor)}).
 *
 * <h2>Failure</h2>
 * Futures complete exceptionally with a {@link RaftException} subclass whose {@link RaftException#isRetrySafe()}
 * says whether retrying is safe: {@link NotLeaderException} (with a leader hint), {@link ProposalDroppedException},
 * {@link IndeterminateStateException}, {@link RaftStoppedException}, {@link NodeFailedException}. If a
 * storage operation fails the node moves to {@link Role#FAILED} and stops voting and serving.
 *
 * <h2>Example</h2>
 * <pre>{@code
 * RaftNode node = Raft.newBuilder()
 *     .clusterId(ClusterId.of("orders"))
 *     .nodeId(NodeId.of("n1"))
 *     .initialConfig(ClusterConfig.ofVoters(Map.of(
 *         NodeId.of("n1"), URI.create("grpc://10.0.0.1:7000"),
 *         NodeId.of("n2"), URI.create("grpc://10.0.0.2:7000"),
 *         NodeId.of("n3"), URI.create("grpc://10.0.0.3:7000"))))
 *     .storage(URI.create("file:///var/lib/orders/n1"))
 *     .stateMachine(new OrdersStateMachine())
 *     .build();
 * node.start();
 * ProposalResult r = node.propose(Bytes.ofUtf8("{\"op\":\"create\"}")).get();
 * }</pre>
 */
public interface RaftNode extends AutoCloseable {

    /**
     * Returns this node's id.
     *
     * @return the id given to the builder
     */
    NodeId id();

    /**
     * Starts the node: recovers state from storage, starts the transport and the event loop. Idempotent.
     *
     * @throws NodeFailedException if storage cannot be opened or is corrupt (the node is then FAILED)
     * @throws RaftStoppedException if the node was closed
     */
    void start();

    /**
     * Proposes a command. Only the leader accepts proposals; many concurrent proposals share one log write and
     * one replication round (group commit).
     *
     * @param command the command, at most {@link RaftConfig#maxCommandBytes()} bytes
     * @return completes with the state machine's result and the log index once the command is committed and
     *     applied on this node; completes exceptionally with {@link NotLeaderException},
     *     {@link ProposalDroppedException}, {@link IndeterminateStateException} (leadership lost after
     *     appending), {@link RaftStoppedException} or {@link NodeFailedException}
     */
    CompletableFuture<ProposalResult> propose(Bytes command);

    /**
     * Runs a read-only query against the state machine, linearizably: the result reflects every command
     * committed before this call (ReadIndex, thesis §6.4). Only the leader serves it; no log entry is written.
     *
     * @param query the query, passed to {@link io.flotilla.spi.StateMachine#query}
     * @return completes with the query result; exceptionally with {@link NotLeaderException} (retry-safe),
     *     {@link RaftStoppedException} or {@link NodeFailedException}
     */
    CompletableFuture<Bytes> read(Bytes query);

    /**
     * Adds a node as a learner: it receives the log but does not vote (thesis §4.2.1). Promote it with
     * {@link #promoteToVoter} once it has caught up.
     *
     * @param id the new member
     * @param address where the transport reaches it
     * @return completes with the new configuration once it is committed; exceptionally with
     *     {@link NotLeaderException}, {@link IllegalStateException} wrapped in a {@link RaftException} if a
     *     change is already in progress, or {@link UnsupportedOperationException} until membership changes
     *     are implemented
     */
    CompletableFuture<ClusterConfig> addLearner(NodeId id, URI address);

    /**
     * Turns a learner into a voter.
     *
     * @param id a current learner
     * @return completes with the new configuration once it is committed; exceptionally as {@link #addLearner}
     */
    CompletableFuture<ClusterConfig> promoteToVoter(NodeId id);

    /**
     * Removes a member (voter or learner). A leader that removes itself steps down once the change commits.
     *
     * @param id the member to remove
     * @return completes with the new configuration once it is committed; exceptionally as {@link #addLearner}
     */
    CompletableFuture<ClusterConfig> removeMember(NodeId id);

    /**
     * Hands leadership to another voter (thesis §3.10): the leader stops accepting proposals, brings the target
     * up to date and tells it to start an election at once.
     *
     * @param target the voter to lead next
     * @return completes when the target is leader; exceptionally with {@link LeadershipTransferException},
     *     {@link NotLeaderException}, or {@link UnsupportedOperationException} until implemented
     */
    CompletableFuture<Void> transferLeadership(NodeId target);

    /**
     * Takes a snapshot of the state machine now and compacts the log behind it (§7).
     *
     * @return completes with the snapshot's metadata once it is durable; exceptionally with
     *     {@link UnsupportedOperationException} until snapshots are implemented
     */
    CompletableFuture<SnapshotMeta> takeSnapshot();

    /**
     * Returns a consistent view of the node's state. Cheap and non-blocking: it returns the view last
     * published by the event loop, which may lag the loop by one iteration.
     *
     * @return the status
     */
    RaftStatus status();

    /**
     * Stops the node: fails pending operations ({@link RaftStoppedException}, or
     * {@link IndeterminateStateException} for appended proposals), stops the event loop, closes the transport
     * and the stores. Idempotent; waits for the loop thread to end.
     */
    @Override
    void close();
}
