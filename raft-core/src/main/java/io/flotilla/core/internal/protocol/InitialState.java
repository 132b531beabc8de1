package io.flotilla.core.internal.protocol;

import io.flotilla.ClusterConfig;
import io.flotilla.HardState;
import java.util.Objects;

/**
 * What a node recovered from storage at start-up, from which the protocol core resumes.
 *
 * @param hardState the persisted term and vote
 * <p>The core re-scans the log after {@code snapshotIndex} for CONFIGURATION entries (thesis §4.1: each is in
 * force from the moment it is in the log), so the configuration in force is always the latest one in the log
 * whichever {@code config} is given. {@code config} is the base that applies when every logged configuration
 * is truncated away; ideally the snapshot's (or the bootstrap) configuration. Passing the latest logged
 * configuration instead is also accepted; it only changes what a truncation of all logged configurations
 * reverts to.
 *
 * @param config the configuration at the snapshot index (the snapshot's, else the bootstrap configuration);
 *     see above
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
