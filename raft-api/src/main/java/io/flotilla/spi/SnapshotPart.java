package io.flotilla.spi;

import io.flotilla.SnapshotMeta;
import java.io.IOException;
import java.io.InputStream;

/**
 * One stored piece of a snapshot chain: the base image or one delta.
 *
 * <p><b>Threading:</b> {@link #open()} may be called from any thread, more than once; each stream is used by one
 * thread. <b>Failure:</b> reading a part whose stored checksum does not match fails with
 * {@link CorruptedStoreException} before or when the bad data is reached.
 */
public interface SnapshotPart {
    /**
     * Returns whether this part is the base or a delta.
     *
     * @return the kind
     */
    SnapshotKind kind();

    /**
     * Returns the log position this part brings the state machine to.
     *
     * @return the metadata
     */
    SnapshotMeta meta();

    /**
     * Returns the stored size of the part's data.
     *
     * @return the size in bytes
     */
    long sizeBytes();

    /**
     * Opens the part's data for reading. The caller closes the stream.
     *
     * @return a new stream over the data
     * @throws IOException if the data cannot be opened
     */
    InputStream open() throws IOException;
}
