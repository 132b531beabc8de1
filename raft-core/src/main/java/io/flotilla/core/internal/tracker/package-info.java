/**
 * Internal: the leader's per-member replication state ({@link io.flotilla.core.internal.tracker.Progress},
 * {@link io.flotilla.core.internal.tracker.Inflights}) and the votes of a campaign
 * ({@link io.flotilla.core.internal.tracker.ProgressTracker}), after etcd raft's {@code tracker} package. Not
 * exported; may change at any time.
 */
package io.flotilla.core.internal.tracker;
