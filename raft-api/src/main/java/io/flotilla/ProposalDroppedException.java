package io.flotilla;

/**
 * The proposal certainly did not and will not take effect: it was refused before it was appended to the log (the
 * proposal queue is full, the command is larger than {@link RaftConfig#maxCommandBytes()}, or a leadership
 * transfer is in progress), or the entry it was appended as was overwritten by another leader's entry (§5.3).
 *
 * <p><b>Retry:</b> safe. The command is not in the committed log and never will be.
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
