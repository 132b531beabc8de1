package io.flotilla.testkit.mem;

import io.flotilla.NodeId;
import io.flotilla.spi.Transport;
import io.flotilla.spi.TransportContext;
import io.flotilla.testkit.TransportContract;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;

/** {@link MemNetwork}'s transports pass the transport contract (real-time network). */
class MemTransportTest extends TransportContract {
    private final MemNetwork network = MemNetwork.create();

    @Override
    protected URI listenAddress(NodeId node) {
        return URI.create("mem://" + node.value());
    }

    @Override
    protected Transport create(URI listenAddress, TransportContext context) {
        return network.transport(context.clusterId(), context.self());
    }

    @AfterEach
    void closeNetwork() {
        network.close();
    }
}
