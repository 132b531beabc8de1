package io.flotilla.core.internal.protocol;

import io.flotilla.ClusterConfig;
import io.flotilla.HardState;
import java.util.Objects;

/**
 * What a node recovered from storage at start-up, from which the protocol core resumes.
 *
 * @param hardState the persisted term and vote
 * @param config the latest configuration: from the last CONFIGURATION entry in the log, else the snapshot's,
 *     else the bootstrap configuration
 * @param snapshotIndex the last index covered by the latest snapshot (0 if none)
 * @param snapshotTerm the term of that index (0 if none)
 * @param appliedIndex the index the state machine was restored to (the snapshot index; entries after it are
 *     re-applied as they are committed again)
 */
public record InitialState(
        HardState hardState, ClusterConfig config, long snapshotIndex, long snapshotTerm, long appliedIndex) {
    /** Validates. */
    public InitialState {
        Objects.requireNonNull(hardState, "hardState");
        Objects.requireNonNull(config, "config");
    }
}
