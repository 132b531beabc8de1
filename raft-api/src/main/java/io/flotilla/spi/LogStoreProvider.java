package io.flotilla.spi;

import java.io.IOException;
import java.net.URI;

/**
 * Opens {@link Storage} for the URI schemes it supports, such as {@code file:///var/lib/raft/n1} or
 * {@code mem:n1}. Registered as a {@link java.util.ServiceLoader} service like {@link TransportProvider}.
 *
 * <p><b>Threading:</b> must be thread-safe. <b>Blocking:</b> {@link #open} reads and checks existing data and
 * may take a while for a large log.
 */
public interface LogStoreProvider {

    /**
     * Returns a short, unique name used in error messages, for example {@code "file"}.
     *
     * @return the provider name
     */
    String name();

    /**
     * Returns whether this provider serves the given location; usually a check of the scheme.
     *
     * @param location a storage URI
     * @return {@code true} if {@link #open} accepts it
     */
    boolean supports(URI location);

    /**
     * Opens (creating if absent) the stores at a location, recovering from a crash if needed: a torn last
     * write is repaired, anything else that fails its checks is reported.
     *
     * @param location where the data lives; backend options may be given as query parameters
     * @param context the node the stores serve
     * @return the opened stores
     * @throws CorruptedStoreException if stored data is corrupt beyond a torn tail
     * @throws IllegalArgumentException if the location or its options are invalid
     * @throws IOException if opening failed
     */
    Storage open(URI location, StorageContext context) throws IOException;
}
