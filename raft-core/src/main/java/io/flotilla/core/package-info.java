/** Assembles a {@link io.flotilla.RaftNode}: see {@link io.flotilla.core.Raft}. */
package io.flotilla.core;
