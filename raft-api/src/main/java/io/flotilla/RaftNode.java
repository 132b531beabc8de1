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
     * <p><b>Not implemented yet:</b> membership changes arrive with a later issue. Until then this method, like
     * {@link #promoteToVoter} and {@link #removeMember}, returns a future that has already failed with
     * {@link UnsupportedOperationException} naming the missing feature; nothing is sent or written.
     *
     * @param id the new member
     * @param address where the transport reaches it
     * @return for now, a future completed exceptionally with {@link UnsupportedOperationException}; once
     *     implemented, completes with the new configuration when it is committed, or exceptionally with
     *     {@link NotLeaderException} on a node that is not the leader
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
     * <p><b>Not implemented yet:</b> until its issue lands this returns a future that has already failed with
     * {@link UnsupportedOperationException}.
     *
     * @param target the voter to lead next
     * @return for now, a future completed exceptionally with {@link UnsupportedOperationException}; once
     *     implemented, completes when the target is leader, or exceptionally with
     *     {@link LeadershipTransferException} or {@link NotLeaderException}
     */
    CompletableFuture<Void> transferLeadership(NodeId target);

    /**
     * Takes a snapshot of the state machine now, at this node's applied index and whatever its role, then compacts
     * the log behind it, keeping {@link SnapshotConfig#trailingEntries()} entries below the snapshot (§7). The
     * state machine captures its state on the apply thread ({@code prepareSnapshot}, or {@code prepareDelta} when
     * the snapshot store declares {@link io.flotilla.spi.Capability#INCREMENTAL_SNAPSHOTS}); the image is then
     * streamed into the snapshot store on the snapshot thread while commands keep being applied. A call made while
     * a snapshot is being taken joins that one. Snapshots are also taken automatically, as set in
     * {@link RaftConfig#snapshots()}.
     *
     * @return completes with the new snapshot's metadata once the snapshot store has committed it (durably), or
     *     with the latest snapshot's metadata if nothing was applied since that one; completes exceptionally with
     *     {@link IllegalStateException} if nothing was applied yet or the node is stopping, with the state
     *     machine's or the store's exception if taking the snapshot failed (the previous snapshot stays; an
     *     {@link java.io.IOException} while writing, other than {@link io.flotilla.spi.StorageFullException}, also
     *     moves the node to {@link Role#FAILED}), with {@link RaftStoppedException} if the node is closed or not
     *     started, or with {@link NodeFailedException}
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
