package io.flotilla.wire.internal;

import io.flotilla.ClusterId;
import io.flotilla.message.RaftMessage;
import java.util.Objects;

/**
 * A decoded envelope: the sender's cluster id and the message. The receiver compares the cluster id, the
 * addressee and the sender with its own view before handing the message on.
 *
 * @param clusterId the cluster the sender belongs to
 * @param message the message
 */
public record WireMessage(ClusterId clusterId, RaftMessage message) {
    /**
     * Validates the pair.
     *
     * @param clusterId the cluster id
     * @param message the message
     */
    public WireMessage {
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(message, "message");
    }
}
