package io.flotilla.core.internal.loop;

import io.flotilla.NodeId;
import io.flotilla.message.RaftMessage;
import io.flotilla.spi.MessageHandler;
import io.flotilla.spi.Transport;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A transport that records what is sent and lets the test deliver inbound messages. */
final class RecordingTransport implements Transport {
    final List<RaftMessage> sent = new CopyOnWriteArrayList<>();
    volatile MessageHandler handler;
    volatile Map<NodeId, URI> peers = Map.of();
    volatile boolean closed;

    @Override
    public void start(MessageHandler handler) {
        this.handler = handler;
    }

    @Override
    public URI localAddress() {
        return URI.create("test://local");
    }

    @Override
    public void send(RaftMessage message) {
        if (!closed) {
            sent.add(message);
        }
    }

    @Override
    public void updatePeers(Map<NodeId, URI> peers) {
        this.peers = Map.copyOf(peers);
    }

    @Override
    public void close() {
        closed = true;
    }
}
