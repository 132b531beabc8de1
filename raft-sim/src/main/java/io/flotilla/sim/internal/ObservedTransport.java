package io.flotilla.sim.internal;

import io.flotilla.NodeId;
import io.flotilla.message.RaftMessage;
import io.flotilla.spi.Capability;
import io.flotilla.spi.MessageHandler;
import io.flotilla.spi.Transport;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * A {@link Transport} decorator that shows every outgoing message to the {@link SafetyMonitor} before the
 * (faulty) network sees it, and counts messages. Confined to the simulation thread.
 */
final class ObservedTransport implements Transport {
    private final Transport delegate;
    private final SafetyMonitor monitor;
    private final Counters counters;

    ObservedTransport(Transport delegate, SafetyMonitor monitor, Counters counters) {
        this.delegate = delegate;
        this.monitor = monitor;
        this.counters = counters;
    }

    @Override
    public void start(MessageHandler handler) throws IOException {
        delegate.start(m -> {
            counters.messagesDelivered++;
            if (m instanceof io.flotilla.message.InstallSnapshotRequest) {
                counters.snapshotChunks++;
            }
            monitor.onDeliver(m);
            handler.handle(m);
        });
    }

    @Override
    public URI localAddress() {
        return delegate.localAddress();
    }

    @Override
    public void send(RaftMessage message) {
        counters.messagesSent++;
        monitor.onSend(message);
        delegate.send(message);
    }

    @Override
    public void updatePeers(Map<NodeId, URI> peers) {
        delegate.updatePeers(peers);
    }

    @Override
    public Set<Capability> capabilities() {
        return delegate.capabilities();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
