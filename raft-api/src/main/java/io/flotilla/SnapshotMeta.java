package io.flotilla;

import java.util.Objects;

/**
 * Describes a snapshot (§7): the last log entry it replaces and the configuration in force at that entry.
 *
 * @param lastIncludedIndex the index of the last entry the snapshot covers, at least 0
 * @param lastIncludedTerm the term of that entry, at least 0
 * @param config the latest configuration at or before {@code lastIncludedIndex}
 */
public record SnapshotMeta(long lastIncludedIndex, long lastIncludedTerm, ClusterConfig config) {
    /**
     * Validates the metadata.
     *
     * @param lastIncludedIndex the index, at least 0
     * @param lastIncludedTerm the term, at least 0
     * @param config the configuration
     * @throws IllegalArgumentException if the index or term is negative
     */
    public SnapshotMeta {
        if (lastIncludedIndex < 0 || lastIncludedTerm < 0) {
            throw new IllegalArgumentException(
                    "lastIncludedIndex and lastIncludedTerm must be >= 0, got "
                            + lastIncludedIndex + " and " + lastIncludedTerm);
        }
        Objects.requireNonNull(config, "config");
    }
}
