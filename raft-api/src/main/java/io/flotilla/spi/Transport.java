package io.flotilla.spi;

import io.flotilla.NodeId;
import io.flotilla.message.RaftMessage;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * Carries {@link RaftMessage}s between the members of one cluster.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Delivery:</b> best effort. Messages may be lost, delayed, duplicated or reordered; Raft tolerates all
 *       of these. A transport should keep per-peer FIFO order on its ordinary channel when it cheaply can, since
 *       pipelined replication is faster without reordering. Each message is delivered whole or not at all.</li>
 *   <li><b>Identity:</b> every message carries the {@link TransportContext#clusterId()}; the receiving
 *       transport drops (and logs) messages from another cluster, addressed to another node, or from a sender
 *       that is not among its peers.</li>
 *   <li><b>Snapshots:</b> {@link io.flotilla.message.InstallSnapshotRequest} chunks may travel on a separate
 *       channel ({@link Capability#SEPARATE_SNAPSHOT_CHANNEL}); the core sends the next chunk only after the
 *       previous one is acknowledged, so the transport need not buffer a whole snapshot.</li>
 *   <li><b>Memory:</b> queues per peer are bounded; when a peer is slow or down, further messages to it are
 *       dropped rather than buffered without bound.</li>
 * </ul>
 *
 * <h2>Threading and blocking</h2>
 * {@link #send} is called from the node's event loop and from its storage thread, possibly concurrently; it
 * must be thread-safe, must never block and must never throw. {@link #updatePeers} may be called concurrently
 * with {@code send}. Inbound messages go to the {@link MessageHandler} from the transport's own threads.
 *
 * <h2>Lifecycle and failure</h2>
 * {@link #start} binds the listen address and reports a failure to bind as {@link IOException}. After
 * {@link #close} the transport has released its threads, sockets and ports, {@code send} drops silently, and
 * no more messages are delivered. A peer that restarts is reconnected to by the transport itself.
 */
public interface Transport extends AutoCloseable {

    /**
     * Starts listening and delivering inbound messages to {@code handler}. Called once.
     *
     * @param handler receives inbound messages
     * @throws IOException if the listen address cannot be bound
     */
    void start(MessageHandler handler) throws IOException;

    /**
     * Returns the address peers reach this transport at, once started: the configured listen address with an
     * ephemeral port (0) replaced by the bound one.
     *
     * @return the bound address
     * @throws IllegalStateException if the transport has not been started
     */
    URI localAddress();

    /**
     * Queues a message for its addressee and returns at once. Never blocks and never throws: a message to an
     * unknown, unreachable or overloaded peer is dropped (and may be logged).
     *
     * @param message the message; {@code message.from()} is this node
     */
    void send(RaftMessage message);

    /**
     * Replaces the set of peers and their addresses, after a membership change. Connections to removed peers
     * are closed; messages from them are dropped from then on.
     *
     * @param peers every other member and its address (the local node may be included and is ignored)
     */
    void updatePeers(Map<NodeId, URI> peers);

    /**
     * Returns the optional abilities of this transport.
     *
     * @return the capabilities; empty by default
     */
    default Set<Capability> capabilities() {
        return Set.of();
    }

    /** Stops the transport and releases every thread, socket and port it holds. Idempotent; never throws. */
    @Override
    void close();
}
