package io.flotilla;

/**
 * The node was closed (or never started) and accepts no more operations. Operations that were waiting when it
 * closed and whose outcome is unknown fail with {@link IndeterminateStateException} instead.
 *
 * <p><b>Retry:</b> safe on another node; this one will not answer again.
 */
public final class RaftStoppedException extends RaftException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened
     */
    public RaftStoppedException(String message) {
        super(message, null);
    }

    @Override
    public boolean isRetrySafe() {
        return true;
    }
}
