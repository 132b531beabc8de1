package io.flotilla.transport.http.internal;

import io.flotilla.NodeId;
import io.flotilla.spi.Transport;
import io.flotilla.spi.TransportContext;
import io.flotilla.testkit.TestPorts;
import io.flotilla.testkit.TransportContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;

/** The raft-testkit transport contract, run against the HTTP transport (h2c, plaintext) on 127.0.0.1. */
class HttpTransportTest extends TransportContract {
    @Override
    protected URI listenAddress(NodeId node) {
        // Not port 0: the restart test rebinds the same port, which is only reliable outside the ephemeral range.
        try {
            return URI.create("http://127.0.0.1:" + TestPorts.freeStablePort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Transport create(URI listenAddress, TransportContext context) {
        return new HttpTransportProvider().create(listenAddress, context);
    }
}
