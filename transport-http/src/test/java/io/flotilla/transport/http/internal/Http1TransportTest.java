package io.flotilla.transport.http.internal;

import io.flotilla.NodeId;
import io.flotilla.spi.Transport;
import io.flotilla.spi.TransportContext;
import io.flotilla.testkit.TestPorts;
import io.flotilla.testkit.TransportContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;

/** The raft-testkit transport contract over HTTP/1.1 with keep-alive ({@code ?http2=false}). */
class Http1TransportTest extends TransportContract {
    @Override
    protected URI listenAddress(NodeId node) {
        try {
            return URI.create("http://127.0.0.1:" + TestPorts.freeStablePort() + "?http2=false");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Transport create(URI listenAddress, TransportContext context) {
        return new HttpTransportProvider().create(listenAddress, context);
    }
}
