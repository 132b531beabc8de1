/**
 * Flotilla's conformance kit: abstract JUnit contract suites that every backend must pass, and in-memory
 * reference backends for tests and simulations.
 *
 * <ul>
 *   <li>{@code io.flotilla.testkit} — {@link io.flotilla.testkit.LogStoreContract},
 *       {@link io.flotilla.testkit.StateStoreContract}, {@link io.flotilla.testkit.SnapshotStoreContract} and
 *       {@link io.flotilla.testkit.TransportContract}: extend one in your backend's tests and implement its
 *       factory method. The package is also opened, so the JUnit engine can reflect into the suites.</li>
 *   <li>{@code io.flotilla.testkit.mem} — {@link io.flotilla.testkit.mem.MemStorage} (log, hard state and
 *       snapshots in memory, with failure injection) and {@link io.flotilla.testkit.mem.MemNetwork} (in-memory
 *       transports with per-link faults and partitions, on real or virtual time).</li>
 * </ul>
 *
 * <p>The in-memory backends are also registered as providers, so they can be chosen by URI: storage
 * {@code mem:<name>} (a process-wide registry of named stores, like H2's {@code jdbc:h2:mem:}) and transport
 * {@code mem://<node>} (on one process-wide {@link io.flotilla.testkit.mem.MemNetwork#shared() shared network}).
 * See {@code docs/spi.md}.
 *
 * @provides io.flotilla.spi.LogStoreProvider the {@code mem:} storage scheme
 * @provides io.flotilla.spi.TransportProvider the {@code mem://} transport scheme
 */
module io.flotilla.testkit {
    requires transitive io.flotilla;
    requires transitive org.junit.jupiter.api;

    exports io.flotilla.testkit;
    exports io.flotilla.testkit.mem;
    opens io.flotilla.testkit;

    provides io.flotilla.spi.LogStoreProvider with io.flotilla.testkit.internal.MemStorageProvider;
    provides io.flotilla.spi.TransportProvider with io.flotilla.testkit.internal.MemTransportProvider;
}
