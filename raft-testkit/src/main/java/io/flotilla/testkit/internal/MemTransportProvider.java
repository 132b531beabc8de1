package io.flotilla.testkit.internal;

import io.flotilla.NodeId;
import io.flotilla.spi.Transport;
import io.flotilla.spi.TransportContext;
import io.flotilla.spi.TransportProvider;
import io.flotilla.testkit.mem.MemNetwork;
import java.net.URI;

/**
 * Serves {@code mem://<node>} with transports on {@link MemNetwork#shared()}. The listen address must name the
 * local node.
 */
public final class MemTransportProvider implements TransportProvider {

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public MemTransportProvider() {}

    @Override
    public String name() {
        return "mem";
    }

    @Override
    public boolean supports(URI address) {
        return "mem".equalsIgnoreCase(address.getScheme());
    }

    @Override
    public Transport create(URI listenAddress, TransportContext context) {
        if (!supports(listenAddress) || listenAddress.getAuthority() == null) {
            throw new IllegalArgumentException("mem transport address must be mem://<node>, got " + listenAddress);
        }
        NodeId node = NodeId.of(listenAddress.getAuthority());
        if (!node.equals(context.self())) {
            throw new IllegalArgumentException("mem transport address " + listenAddress
                    + " must name the local node " + context.self());
        }
        return MemNetwork.shared().transport(context.clusterId(), context.self());
    }
}
