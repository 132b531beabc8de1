package io.flotilla;

import java.util.Objects;

/**
 * What a committed and applied proposal produced.
 *
 * @param logIndex the index the command was committed at
 * @param term the term it was committed in
 * @param value what {@link io.flotilla.spi.StateMachine#apply} returned for it
 */
public record ProposalResult(long logIndex, long term, Bytes value) {
    /**
     * Validates the result.
     *
     * @param logIndex the index, at least 1
     * @param term the term, at least 0
     * @param value the state machine's result
     */
    public ProposalResult {
        if (logIndex < 1 || term < 0) {
            throw new IllegalArgumentException("invalid index/term " + logIndex + "/" + term);
        }
        Objects.requireNonNull(value, "value");
    }
}
