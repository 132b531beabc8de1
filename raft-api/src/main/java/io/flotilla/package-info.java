/**
 * The application-facing API of Flotilla: the {@link io.flotilla.RaftNode} handle, its configuration,
 * value types shared by the SPI and the wire messages, and the unchecked exception tree.
 *
 * <p>Every type here is immutable and thread-safe unless its Javadoc says otherwise. Indices and terms are
 * {@code long}s, 1-based for indices (index 0 means "before the first entry") as in the Raft paper.
 */
package io.flotilla;
