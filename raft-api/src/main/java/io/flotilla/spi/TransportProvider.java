package io.flotilla.spi;

import java.net.URI;

/**
 * Creates {@link Transport}s for the URI schemes it supports, such as {@code grpc://host:port}. Registered as a
 * {@link java.util.ServiceLoader} service: {@code provides io.flotilla.spi.TransportProvider with …} in the
 * backend's {@code module-info.java} and a {@code META-INF/services} file for class-path users.
 *
 * <p><b>Threading:</b> must be thread-safe; {@link #create} may be called concurrently for different nodes.
 */
public interface TransportProvider {

    /**
     * Returns a short, unique name used in error messages, for example {@code "grpc"}.
     *
     * @return the provider name
     */
    String name();

    /**
     * Returns whether this provider serves the given address; usually a check of the scheme.
     *
     * @param address a member's address
     * @return {@code true} if {@link #create} accepts it
     */
    boolean supports(URI address);

    /**
     * Creates an unstarted transport listening at {@code listenAddress}. Backend options may be given as
     * query parameters of the URI.
     *
     * @param listenAddress where to listen; port 0 picks a free port
     * @param context the cluster and node the transport serves
     * @return a new transport
     * @throws IllegalArgumentException if the address or its options are invalid
     */
    Transport create(URI listenAddress, TransportContext context);
}
