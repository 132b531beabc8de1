package io.flotilla;

/**
 * The node hit a failure it cannot recover from by itself and has stopped serving: a log or state store
 * operation failed (for example {@code fsync} reported an error, which is never retried), a state machine
 * threw from {@code apply}, or stored data is corrupt. The node is in {@link Role#FAILED}; the cause says why.
 * An operator must inspect the node, fix the cause and restart it.
 *
 * <p><b>Retry:</b> safe on another node for operations that fail with this exception before being appended;
 * operations already appended fail with {@link IndeterminateStateException} carrying this as the cause.
 */
public final class NodeFailedException extends RaftException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed
     * @param cause the underlying failure
     */
    public NodeFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isRetrySafe() {
        return true;
    }
}
