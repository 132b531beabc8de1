package io.flotilla.testkit.internal;

import io.flotilla.spi.LogStoreProvider;
import io.flotilla.spi.Storage;
import io.flotilla.spi.StorageContext;
import io.flotilla.testkit.mem.MemStorage;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves {@code mem:<name>} with {@link MemStorage}: a process-wide registry of named stores, like H2's
 * {@code jdbc:h2:mem:}. Opening a name again closes the previous view and returns a new view over the same
 * data (a restart); {@code mem:<name>?reset=true} discards the data first. Names live until the JVM exits.
 */
public final class MemStorageProvider implements LogStoreProvider {
    private static final Map<String, MemStorage> REGISTRY = new ConcurrentHashMap<>();

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public MemStorageProvider() {}

    @Override
    public String name() {
        return "mem";
    }

    @Override
    public boolean supports(URI location) {
        return "mem".equalsIgnoreCase(location.getScheme());
    }

    @Override
    public Storage open(URI location, StorageContext context) {
        if (!supports(location)) {
            throw new IllegalArgumentException("not a mem: URI: " + location);
        }
        String ssp = location.getSchemeSpecificPart();
        String name = ssp;
        boolean reset = false;
        int q = ssp.indexOf('?');
        if (q >= 0) {
            name = ssp.substring(0, q);
            for (String param : ssp.substring(q + 1).split("&")) {
                if (param.equals("reset=true")) {
                    reset = true;
                } else if (!param.isEmpty() && !param.equals("reset=false")) {
                    throw new IllegalArgumentException("unknown mem: option \"" + param + "\" in " + location
                            + "; supported: reset=true|false");
                }
            }
        }
        if (name.isEmpty() || name.startsWith("/")) {
            throw new IllegalArgumentException("mem: storage URI must be mem:<name>, e.g. mem:n1; got " + location);
        }
        boolean fresh = reset;
        return REGISTRY.compute(name, (k, previous) ->
                previous == null || fresh ? MemStorage.create(context.self()) : previous.reopen());
    }
}
