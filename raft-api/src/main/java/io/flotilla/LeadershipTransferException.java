package io.flotilla;

/**
 * A leadership transfer did not complete: the target did not catch up and win an election within the
 * transfer timeout, the target is not a voter, or leadership changed during the transfer.
 *
 * <p><b>Retry:</b> safe; a transfer never changes the replicated state.
 */
public final class LeadershipTransferException extends RaftException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message why the transfer failed
     */
    public LeadershipTransferException(String message) {
        super(message, null);
    }

    @Override
    public boolean isRetrySafe() {
        return true;
    }
}
