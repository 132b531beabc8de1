package io.flotilla.core.internal.protocol;

/**
 * A linearizable read whose read index is confirmed (thesis §6.4): the read registered as {@code readId} may be
 * served once the state machine has applied {@code readIndex}.
 *
 * @param readId the id given to {@link RaftProtocol#readIndex(long)}
 * @param readIndex the commit index at the time leadership was confirmed
 */
public record ReadState(long readId, long readIndex) {}
