/**
 * Options of the HTTP transport ({@link io.flotilla.transport.http.HttpTransportOptions}); the transport itself is
 * found through {@link io.flotilla.spi.TransportProvider} for {@code http://} and {@code https://} addresses.
 */
package io.flotilla.transport.http;
