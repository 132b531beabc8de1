package io.flotilla.spi;

import io.flotilla.ProviderSelectionException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Finds backends with {@link ServiceLoader} and chooses one for a URI.
 *
 * <p>The rule, in order: an instance passed explicitly to the node builder always wins (that choice is made
 * before this class is asked); otherwise the providers whose {@code supports(uri)} is true are candidates; when
 * no URI is given, every provider found is a candidate. Exactly one candidate is chosen. None, or more than one,
 * is a {@link ProviderSelectionException} naming every provider found, so the fix is obvious — add the
 * missing module, remove the duplicate, or pass an instance explicitly. Nothing is ever picked silently.
 *
 * <p>Thread-safe; each call loads providers afresh.
 */
public final class Providers {
    private static final String DOCS = " (see docs/spi.md, \"Choosing a backend\")";

    private Providers() {}

    /**
     * Chooses the transport provider for an address.
     *
     * @param address a member address such as {@code grpc://host:7000}, or empty to require a sole provider
     * @return the provider
     * @throws ProviderSelectionException if none or several providers qualify
     */
    public static TransportProvider transport(Optional<URI> address) {
        return select("transport", address, load(TransportProvider.class),
                TransportProvider::name, TransportProvider::supports);
    }

    /**
     * Chooses the storage provider for a location.
     *
     * @param location a storage URI such as {@code file:///var/lib/raft}, or empty to require a sole provider
     * @return the provider
     * @throws ProviderSelectionException if none or several providers qualify
     */
    public static LogStoreProvider storage(Optional<URI> location) {
        return select("storage", location, load(LogStoreProvider.class),
                LogStoreProvider::name, LogStoreProvider::supports);
    }

    /**
     * Applies the selection rule to a list of candidates; {@link #transport} and {@link #storage} call it with
     * what {@link ServiceLoader} found.
     *
     * @param kind what is chosen, for messages ("transport", "storage")
     * @param uri the URI to serve, or empty to require a sole provider
     * @param found every provider found
     * @param name a provider's name
     * @param supports whether a provider supports a URI
     * @param <P> the provider type
     * @return the one qualifying provider
     * @throws ProviderSelectionException if none or several qualify
     */
    public static <P> P select(String kind, Optional<URI> uri, List<P> found, Function<P, String> name,
            BiPredicate<P, URI> supports) {
        List<P> candidates = new ArrayList<>();
        for (P p : found) {
            if (uri.isEmpty() || supports.test(p, uri.get())) {
                candidates.add(p);
            }
        }
        String foundNames = found.isEmpty() ? "none"
                : found.stream().map(p -> name.apply(p) + " (" + p.getClass().getName() + ")")
                        .collect(Collectors.joining(", "));
        String target = uri.map(u -> " for " + u).orElse("");
        if (candidates.isEmpty()) {
            throw new ProviderSelectionException("no " + kind + " provider" + target
                    + "; providers found: " + foundNames + DOCS);
        }
        if (candidates.size() > 1) {
            throw new ProviderSelectionException("several " + kind + " providers" + target + ": "
                    + candidates.stream().map(name).collect(Collectors.joining(", "))
                    + "; pass one explicitly to the builder" + DOCS);
        }
        return candidates.get(0);
    }

    private static <P> List<P> load(Class<P> type) {
        List<P> all = new ArrayList<>();
        ServiceLoader.load(type).forEach(all::add);
        return all;
    }
}
