package io.flotilla.spi;

import io.flotilla.SnapshotMeta;
import java.io.IOException;
import java.util.List;

/**
 * An open, consistent view of the latest snapshot: a base and zero or more deltas, to be restored in order. The
 * store keeps every part readable until the reader is closed, even if a newer snapshot is committed meanwhile.
 *
 * <p><b>Threading:</b> may be used from any one thread at a time.
 */
public interface SnapshotReader extends AutoCloseable {
    /**
     * Returns what the whole chain covers: the metadata of its last part.
     *
     * @return the metadata
     */
    SnapshotMeta meta();

    /**
     * Returns the chain: one {@link SnapshotKind#FULL} part followed by its deltas, oldest first.
     *
     * @return the parts in restore order; never empty
     */
    List<SnapshotPart> parts();

    /**
     * Releases the view; parts superseded meanwhile may then be deleted. Idempotent.
     *
     * @throws IOException if releasing failed
     */
    @Override
    void close() throws IOException;
}
