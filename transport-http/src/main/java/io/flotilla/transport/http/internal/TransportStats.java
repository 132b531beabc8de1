package io.flotilla.transport.http.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of one HTTP transport, for tests, logs and future metrics. Thread-safe; each counter is monotonic.
 */
final class TransportStats {
    /** Messages sent in a request that the peer acknowledged (2xx). */
    final AtomicLong sent = new AtomicLong();
    /** Batch requests started. */
    final AtomicLong requests = new AtomicLong();
    /** Requests that failed: connection errors, timeouts, non-2xx responses. */
    final AtomicLong requestsFailed = new AtomicLong();
    /** Requests the peer refused with a 4xx status. */
    final AtomicLong requestsRefused = new AtomicLong();
    /** Snapshot uploads started. */
    final AtomicLong snapshotUploads = new AtomicLong();
    /** Messages dropped because a peer's queue was full (messages or bytes). */
    final AtomicLong droppedQueueFull = new AtomicLong();
    /** Messages dropped because the request carrying them, or waiting for a failed peer, failed. */
    final AtomicLong droppedRequestFailed = new AtomicLong();
    /** Messages dropped because the addressee is not a known peer. */
    final AtomicLong droppedUnknownPeer = new AtomicLong();
    /** Messages dropped because they could not be encoded within the limits. */
    final AtomicLong droppedTooLarge = new AtomicLong();
    /** Messages handed to the node. */
    final AtomicLong received = new AtomicLong();
    /** Inbound requests rejected as malformed: framing, protobuf, limits (400, 413). */
    final AtomicLong rejectedMalformed = new AtomicLong();
    /** Inbound requests rejected for identity: foreign cluster, unknown sender, other addressee (403). */
    final AtomicLong rejectedIdentity = new AtomicLong();
    /** Inbound requests rejected for their form: method, path, content type (404, 405, 415). */
    final AtomicLong rejectedProtocol = new AtomicLong();

    /** The protocol of the latest batch response ("h2", "h2_prior_knowledge", "http/1.1"), or null. */
    volatile String lastProtocol;

    @Override
    public String toString() {
        return "sent=" + sent + " requests=" + requests + " requestsFailed=" + requestsFailed + " requestsRefused="
                + requestsRefused + " snapshotUploads=" + snapshotUploads + " droppedQueueFull=" + droppedQueueFull
                + " droppedRequestFailed=" + droppedRequestFailed + " droppedUnknownPeer=" + droppedUnknownPeer
                + " droppedTooLarge=" + droppedTooLarge + " received=" + received + " rejectedMalformed="
                + rejectedMalformed + " rejectedIdentity=" + rejectedIdentity + " rejectedProtocol="
                + rejectedProtocol + " lastProtocol=" + lastProtocol;
    }
}
