/**
 * Internal: the replicated log as the protocol core sees it: {@link io.flotilla.core.internal.log.RaftLog} over the
 * durable {@link io.flotilla.core.internal.log.StableLog} plus an in-memory tail of entries not yet reported
 * durable (etcd raft's {@code raftLog} and {@code unstable}). Not exported (except to the simulator); may change
 * at any time.
 */
package io.flotilla.core.internal.log;
