package io.flotilla.wire.internal;

/**
 * Bytes received from the network are not a valid Flotilla message, or a message is too large to send.
 *
 * <p>The decoder throws this and nothing else for any input: malformed protobuf, unknown versions or kinds,
 * missing fields, negative (over {@code Long.MAX_VALUE}) indices or terms, non-consecutive entries, invalid ids,
 * and anything over {@link WireLimits}. It is <b>checked</b> on purpose: every place that decodes untrusted
 * bytes must decide what to do with garbage (transports log it and close the offending stream), and the
 * compiler makes sure it does. The message names the offending field and value but never echoes payloads.
 */
public final class WireFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong, naming the field
     */
    public WireFormatException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what is wrong, naming the field
     * @param cause the lower-level failure
     */
    public WireFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
