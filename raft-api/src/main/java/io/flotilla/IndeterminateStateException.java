package io.flotilla;

/**
 * The outcome of an operation is unknown: the command was appended to the leader's log, but leadership was lost
 * (or the node stopped) before it was known to commit. It may still commit under a later leader, or be
 * overwritten.
 *
 * <p><b>Retry:</b> not safe in general — retrying gives at-least-once semantics. Make commands idempotent, or
 * read the state first, before retrying.
 */
public final class IndeterminateStateException extends RaftException {
    private static final long serialVersionUID = 1L;

    private final long logIndex;

    /**
     * Creates the exception.
     *
     * @param message what happened
     * @param logIndex the index the command was appended at
     * @param cause the underlying failure, or {@code null}
     */
    public IndeterminateStateException(String message, long logIndex, Throwable cause) {
        super(message, cause);
        this.logIndex = logIndex;
    }

    /**
     * Returns the log index the command was appended at on the old leader.
     *
     * @return the index
     */
    public long logIndex() {
        return logIndex;
    }

    @Override
    public boolean isRetrySafe() {
        return false;
    }
}
