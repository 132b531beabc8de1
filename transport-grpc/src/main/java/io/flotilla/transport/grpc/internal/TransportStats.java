package io.flotilla.transport.grpc.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of one transport, for tests, logs and future metrics. Thread-safe; each counter is monotonic.
 */
final class TransportStats {
    /** Messages written to a stream. */
    final AtomicLong sent = new AtomicLong();
    /** Messages dropped because a peer's queue was full (messages or bytes). */
    final AtomicLong droppedQueueFull = new AtomicLong();
    /**
     * Messages dropped because the stream to the peer failed while they waited, or because they waited through a
     * whole probe interval while the peer was unreachable.
     */
    final AtomicLong droppedStreamFailed = new AtomicLong();
    /** Messages dropped because the addressee is not a known peer. */
    final AtomicLong droppedUnknownPeer = new AtomicLong();
    /** Messages dropped because they could not be encoded within the limits. */
    final AtomicLong droppedTooLarge = new AtomicLong();
    /** Messages handed to the node. */
    final AtomicLong received = new AtomicLong();
    /** Inbound messages rejected as malformed ({@link io.flotilla.wire.internal.WireFormatException}). */
    final AtomicLong rejectedMalformed = new AtomicLong();
    /** Inbound messages or streams rejected for identity: foreign cluster, unknown sender, other addressee. */
    final AtomicLong rejectedIdentity = new AtomicLong();
    /**
     * Inbound streams gRPC closed with {@code RESOURCE_EXHAUSTED} before Flotilla saw the message: one larger than
     * {@code maxMessageBytes}.
     */
    final AtomicLong rejectedOversized = new AtomicLong();
    /** Outbound streams opened (the first one and every reconnect). */
    final AtomicLong streamsOpened = new AtomicLong();
    /** Outbound streams that failed or were cancelled. */
    final AtomicLong streamsFailed = new AtomicLong();

    @Override
    public String toString() {
        return "sent=" + sent + " droppedQueueFull=" + droppedQueueFull + " droppedStreamFailed=" + droppedStreamFailed
                + " droppedUnknownPeer=" + droppedUnknownPeer + " droppedTooLarge=" + droppedTooLarge
                + " received=" + received + " rejectedMalformed=" + rejectedMalformed + " rejectedIdentity="
                + rejectedIdentity + " rejectedOversized=" + rejectedOversized + " streamsOpened=" + streamsOpened
                + " streamsFailed=" + streamsFailed;
    }
}
