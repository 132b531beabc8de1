package io.flotilla;

/**
 * The root of Flotilla's unchecked exception tree. Asynchronous operations complete their futures
 * exceptionally with a subclass; each subclass states whether retrying the operation is safe.
 *
 * <p>Programmer errors (an invalid argument, a call in the wrong state) are reported synchronously with
 * {@link IllegalArgumentException} or {@link IllegalStateException}, not with this tree.
 */
public abstract class RaftException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what happened
     * @param cause the underlying failure, or {@code null}
     */
    protected RaftException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Returns whether the failed operation may be retried without risk of applying a command twice.
     *
     * @return {@code true} if the operation certainly did not take effect
     */
    public abstract boolean isRetrySafe();
}
