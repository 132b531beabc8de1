/**
 * Internal: the node runtime that drives the protocol core. Not exported (only to {@code io.flotilla.sim});
 * may change at any time.
 *
 * <ul>
 *   <li>{@link io.flotilla.core.internal.loop.EventLoopRaftNode} — the {@link io.flotilla.RaftNode}: an actor on
 *       the loop executor with an MPSC inbox; one drain = every queued input, one batch of proposals, one
 *       {@code Ready} (group commit).</li>
 *   <li>{@link io.flotilla.core.internal.loop.Persister} — the storage pipeline (storage executor): merges queued
 *       batches into one append and one hard-state save, then sends after-persist messages and releases
 *       committed entries.</li>
 *   <li>{@link io.flotilla.core.internal.loop.Applier} — the apply pipeline (apply executor): committed entries
 *       in order, exactly once; proposal futures; linearizable reads.</li>
 *   <li>{@link io.flotilla.core.internal.loop.NodeRuntime} — threads, time and randomness:
 *       {@link io.flotilla.core.internal.loop.ThreadedRuntime} in production, a virtual one in the simulator.</li>
 *   <li>{@link io.flotilla.core.internal.loop.NodeSpec} and {@link io.flotilla.core.internal.loop.NodeFactory}
 *       — the assembly hook shared by the public builder and the simulator.</li>
 * </ul>
 */
package io.flotilla.core.internal.loop;
