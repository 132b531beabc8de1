package io.flotilla.core.internal.discovery;

import io.flotilla.ClusterId;
import io.flotilla.NodeId;
import io.flotilla.spi.LogStoreProvider;
import io.flotilla.spi.Providers;
import io.flotilla.spi.Storage;
import io.flotilla.spi.StorageContext;
import io.flotilla.spi.Transport;
import io.flotilla.spi.TransportContext;
import io.flotilla.spi.TransportProvider;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Chooses and instantiates backends that were not given explicitly to the builder: the transport for the node's
 * own address and the storage for a location URI, by the rule of {@link Providers} (the providers whose
 * {@code supports(uri)} is true; exactly one must qualify, otherwise a
 * {@link io.flotilla.ProviderSelectionException} names every candidate). An explicit instance always wins and
 * never reaches this class.
 *
 * <p>Production uses {@link #serviceLoader()}, which looks providers up with {@link java.util.ServiceLoader}
 * through {@link Providers#transport} and {@link Providers#storage} (module {@code io.flotilla} declares the
 * {@code uses}). Tests pass fixed provider lists.
 *
 * <p><b>Threading:</b> thread-safe. <b>Blocking:</b> {@link #openStorage} opens stores and may read a lot.
 */
public final class Backends {
    private final Supplier<Optional<List<TransportProvider>>> transports;
    private final Supplier<Optional<List<LogStoreProvider>>> stores;

    private Backends(Supplier<Optional<List<TransportProvider>>> transports,
            Supplier<Optional<List<LogStoreProvider>>> stores) {
        this.transports = transports;
        this.stores = stores;
    }

    /** @return backends found with {@link java.util.ServiceLoader} on the module path or class path */
    public static Backends serviceLoader() {
        return new Backends(Optional::empty, Optional::empty);
    }

    /**
     * @param transports the transport providers to choose from
     * @param stores the storage providers to choose from
     * @return backends chosen from fixed lists (tests)
     */
    public static Backends of(List<TransportProvider> transports, List<LogStoreProvider> stores) {
        List<TransportProvider> t = List.copyOf(transports);
        List<LogStoreProvider> s = List.copyOf(stores);
        return new Backends(() -> Optional.of(t), () -> Optional.of(s));
    }

    /**
     * @param address the node's own address
     * @return the one transport provider supporting it
     * @throws io.flotilla.ProviderSelectionException if none or several do
     */
    public TransportProvider transportProvider(URI address) {
        Optional<List<TransportProvider>> fixed = transports.get();
        if (fixed.isEmpty()) {
            return Providers.transport(Optional.of(address));
        }
        return Providers.select("transport", Optional.of(address), fixed.get(), TransportProvider::name,
                TransportProvider::supports);
    }

    /**
     * @param location a storage URI
     * @return the one storage provider supporting it
     * @throws io.flotilla.ProviderSelectionException if none or several do
     */
    public LogStoreProvider storageProvider(URI location) {
        Optional<List<LogStoreProvider>> fixed = stores.get();
        if (fixed.isEmpty()) {
            return Providers.storage(Optional.of(location));
        }
        return Providers.select("storage", Optional.of(location), fixed.get(), LogStoreProvider::name,
                LogStoreProvider::supports);
    }

    /**
     * Creates an unstarted transport listening at the node's address.
     *
     * @param provider the chosen provider
     * @param address the node's own address
     * @param clusterId the cluster
     * @param self the node
     * @return the transport
     */
    public static Transport createTransport(TransportProvider provider, URI address, ClusterId clusterId,
            NodeId self) {
        return provider.create(address, new TransportContext(clusterId, self));
    }

    /**
     * Opens the stores at a location.
     *
     * @param provider the chosen provider
     * @param location the storage URI
     * @param self the node
     * @return the opened stores
     * @throws IOException if opening failed or the data is corrupt
     */
    public static Storage openStorage(LogStoreProvider provider, URI location, NodeId self) throws IOException {
        return provider.open(location, new StorageContext(self));
    }
}
