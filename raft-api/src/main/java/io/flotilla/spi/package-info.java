/**
 * The service-provider interfaces of Flotilla: what a transport, a store or a state machine implements.
 *
 * <p>Each interface documents four things: <b>threading</b> (which thread calls it, whether it must be
 * thread-safe), <b>blocking</b>, <b>durability</b> (what is on stable storage when a call returns) and
 * <b>failure</b> (what an exception means to the node). Backends are found with {@link java.util.ServiceLoader}
 * through {@link io.flotilla.spi.TransportProvider} and {@link io.flotilla.spi.LogStoreProvider}, selected by
 * URI scheme (see {@link io.flotilla.spi.Providers}). The interfaces evolve only through {@code default}
 * methods and {@link io.flotilla.spi.Capability} flags, so a backend written today keeps compiling.
 *
 * <p>The {@code flotilla-testkit} artifact holds an abstract JUnit contract suite for each interface; a
 * backend is conformant when it passes them. See {@code docs/spi.md}.
 */
package io.flotilla.spi;
