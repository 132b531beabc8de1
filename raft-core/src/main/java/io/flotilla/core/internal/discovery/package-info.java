/**
 * Internal: choosing backends with {@link java.util.ServiceLoader} through {@link io.flotilla.spi.Providers}
 * ({@link io.flotilla.core.internal.discovery.Backends}). Not exported; may change at any time.
 */
package io.flotilla.core.internal.discovery;
