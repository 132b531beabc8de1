package io.flotilla.transport.grpc.internal;

import io.flotilla.NodeId;
import io.flotilla.spi.Transport;
import io.flotilla.spi.TransportContext;
import io.flotilla.testkit.TransportContract;
import java.net.URI;

/** The raft-testkit transport contract, run against the gRPC transport over plaintext on 127.0.0.1. */
class GrpcTransportTest extends TransportContract {
    @Override
    protected URI listenAddress(NodeId node) {
        return URI.create("grpc://127.0.0.1:0");
    }

    @Override
    protected Transport create(URI listenAddress, TransportContext context) {
        return new GrpcTransportProvider().create(listenAddress, context);
    }
}
