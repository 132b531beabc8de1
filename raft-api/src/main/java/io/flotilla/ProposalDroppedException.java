package io.flotilla;

/**
 * The proposal was refused before it was appended to the log: the proposal queue is full (back-pressure), the
 * command is larger than {@link RaftConfig#maxCommandBytes()}, or a leadership transfer is in progress.
 *
 * <p><b>Retry:</b> safe. The command was never appended, so it cannot commit.
 */
public final class ProposalDroppedException extends RaftException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param reason why the proposal was dropped
     */
    public ProposalDroppedException(String reason) {
        super(reason, null);
    }

    @Override
    public boolean isRetrySafe() {
        return true;
    }
}
