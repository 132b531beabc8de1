package io.flotilla.spi;

import io.flotilla.message.RaftMessage;

/**
 * Receives the messages a {@link Transport} delivers. Implemented by the core, called by transports.
 *
 * <p><b>Threading:</b> may be called concurrently from any number of transport threads. <b>Blocking:</b> never
 * blocks; it enqueues the message for the node's event loop and returns. <b>Failure:</b> never throws.
 */
@FunctionalInterface
public interface MessageHandler {
    /**
     * Hands one inbound message to the node.
     *
     * @param message a message addressed to this node, already checked for cluster id and sender
     */
    void handle(RaftMessage message);
}
