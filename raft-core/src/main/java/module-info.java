/**
 * Flotilla's Raft implementation. Applications use {@link io.flotilla.core.Raft#newBuilder()} to assemble a
 * {@link io.flotilla.RaftNode}; everything else is internal. Backends are discovered with
 * {@link java.util.ServiceLoader} (see {@link io.flotilla.spi.Providers}).
 *
 * <p>Dagger wires each node inside the module ({@code internal.inject}); neither Dagger nor {@code jakarta.inject}
 * types appear in any exported signature.
 *
 * @uses io.flotilla.spi.TransportProvider creates the transport for the node's address when none is given
 * @uses io.flotilla.spi.LogStoreProvider opens the storage for a storage URI when no instance is given
 */
module io.flotilla.core {
    requires transitive io.flotilla;
    requires dagger;
    requires jakarta.inject;
    requires org.slf4j;

    exports io.flotilla.core;
    // The simulator drives the real protocol and event loop with virtual time.
    exports io.flotilla.core.internal.protocol to io.flotilla.sim;
    exports io.flotilla.core.internal.loop to io.flotilla.sim;
    exports io.flotilla.core.internal.log to io.flotilla.sim;

    uses io.flotilla.spi.TransportProvider;
    uses io.flotilla.spi.LogStoreProvider;
}
