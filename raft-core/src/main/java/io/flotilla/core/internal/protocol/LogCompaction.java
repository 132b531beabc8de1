package io.flotilla.core.internal.protocol;

/**
 * A change to the start of the stored log that a {@link Ready} asks for (§7): let the store discard entries up to
 * {@code throughIndex} ({@code LogStore.compactPrefix}), or, after a follower installed a snapshot its log does not
 * match, discard the whole log first so that the next entry is {@code throughIndex + 1}.
 *
 * @param throughIndex the last index the store may discard
 * @param discardLog whether every stored entry is discarded, whatever its index
 */
public record LogCompaction(long throughIndex, boolean discardLog) {
    /** Validates. */
    public LogCompaction {
        if (throughIndex < 0) {
            throw new IllegalArgumentException("throughIndex must be >= 0, got " + throughIndex);
        }
    }
}
