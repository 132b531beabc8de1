/**
 * Flotilla's public API and stable service-provider interfaces.
 *
 * <p>This module depends on nothing but {@code java.base}. It exports three packages:
 * <ul>
 *   <li>{@code io.flotilla} — what an application uses: {@link io.flotilla.RaftNode}, {@link io.flotilla.RaftConfig},
 *       ids, results, status and the unchecked exception tree rooted at {@link io.flotilla.RaftException};</li>
 *   <li>{@code io.flotilla.spi} — what a backend implements: {@link io.flotilla.spi.Transport},
 *       {@link io.flotilla.spi.LogStore}, {@link io.flotilla.spi.StateStore}, {@link io.flotilla.spi.SnapshotStore},
 *       {@link io.flotilla.spi.StateMachine} and the providers found through {@link java.util.ServiceLoader};</li>
 *   <li>{@code io.flotilla.message} — the sealed {@link io.flotilla.message.RaftMessage} records that
 *       transports carry.</li>
 * </ul>
 *
 * @uses io.flotilla.spi.TransportProvider transports chosen by URI scheme, see {@link io.flotilla.spi.Providers}
 * @uses io.flotilla.spi.LogStoreProvider storage backends chosen by URI scheme, see {@link io.flotilla.spi.Providers}
 */
module io.flotilla {
    exports io.flotilla;
    exports io.flotilla.spi;
    exports io.flotilla.message;

    uses io.flotilla.spi.TransportProvider;
    uses io.flotilla.spi.LogStoreProvider;
}
