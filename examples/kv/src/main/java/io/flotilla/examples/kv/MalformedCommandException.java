package io.flotilla.examples.kv;

/**
 * A command or result whose bytes are not a valid encoding. The state machine answers such a command with
 * {@link KvResult.Status#INVALID} instead of failing, so every replica does the same.
 */
public final class MalformedCommandException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong
     */
    public MalformedCommandException(String message) {
        super(message);
    }
}
