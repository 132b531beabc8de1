/**
 * Internal: the Raft protocol core, a deterministic state machine with no clock, threads or I/O (etcd raft's
 * {@code raft}/{@code RawNode}). {@link io.flotilla.core.internal.protocol.RaftProtocol} takes ticks, messages,
 * proposals, reads and durability reports, and hands out {@link io.flotilla.core.internal.protocol.Ready} batches
 * whose Javadoc fixes the order the driver carries them out in. Not exported (except to the simulator); may change
 * at any time.
 */
package io.flotilla.core.internal.protocol;
