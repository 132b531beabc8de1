package io.flotilla.testkit.mem;

import io.flotilla.ClusterId;
import io.flotilla.NodeId;
import io.flotilla.message.RaftMessage;
import io.flotilla.spi.MessageHandler;
import io.flotilla.spi.Transport;
import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One node's transport on a {@link MemNetwork}. Enforces the {@link Transport} contract at delivery: started
 * and open, same cluster, addressed to this node, sender among the peers.
 */
final class MemTransport implements Transport {
    private enum State { NEW, STARTED, CLOSED }

    private final MemNetwork network;
    private final ClusterId clusterId;
    private final NodeId self;
    private final URI address;
    private volatile State state = State.NEW;
    private volatile MessageHandler handler;
    private volatile Map<NodeId, URI> peers = Map.of();

    MemTransport(MemNetwork network, ClusterId clusterId, NodeId self) {
        this.network = network;
        this.clusterId = clusterId;
        this.self = self;
        this.address = URI.create("mem://" + self.value());
    }

    @Override
    public synchronized void start(MessageHandler handler) throws IOException {
        Objects.requireNonNull(handler, "handler");
        if (state != State.NEW) {
            throw new IllegalStateException("transport of " + self + " was already started or closed");
        }
        network.bind(self.value(), this);
        this.handler = handler;
        state = State.STARTED;
    }

    @Override
    public URI localAddress() {
        if (state == State.NEW) {
            throw new IllegalStateException("transport of " + self + " is not started");
        }
        return address;
    }

    @Override
    public void send(RaftMessage message) {
        try {
            if (state != State.STARTED || message == null) {
                network.countDrop();
                return;
            }
            URI target = peers.get(message.to());
            String authority = target == null || !"mem".equals(target.getScheme()) ? null : target.getAuthority();
            if (authority == null) {
                network.countDrop();
                return;
            }
            network.route(clusterId, self, authority, message);
        } catch (RuntimeException e) {
            network.countDrop(); // send never throws
        }
    }

    @Override
    public void updatePeers(Map<NodeId, URI> newPeers) {
        Map<NodeId, URI> copy = new HashMap<>(newPeers);
        copy.remove(self);
        peers = Map.copyOf(copy);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
        }
        network.unbind(self.value(), this);
    }

    /** Delivers if the contract allows; returns whether the message was handed to the handler. */
    boolean offer(ClusterId senderCluster, NodeId sender, RaftMessage message) {
        if (state != State.STARTED || !clusterId.equals(senderCluster) || !self.equals(message.to())
                || !peers.containsKey(sender)) {
            return false;
        }
        try {
            handler.handle(message);
        } catch (RuntimeException e) {
            // A handler must not throw; a faulty one must not kill the dispatcher either.
            return false;
        }
        return true;
    }

    @Override
    public String toString() {
        return "MemTransport[" + clusterId + "/" + self + ", " + state + "]";
    }
}
