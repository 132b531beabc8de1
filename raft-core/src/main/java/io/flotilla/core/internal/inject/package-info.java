/**
 * Internal: the Dagger component ({@link io.flotilla.core.internal.inject.RaftComponent}) that wires a node for
 * both the public builder and the simulator's {@code NodeFactory}. Not exported; may change at any time.
 */
package io.flotilla.core.internal.inject;
