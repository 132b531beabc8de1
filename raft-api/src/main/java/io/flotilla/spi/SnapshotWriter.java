package io.flotilla.spi;

import io.flotilla.SnapshotMeta;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes one new snapshot part as a stream; nothing becomes visible until {@link #commit()}.
 *
 * <p><b>Durability and atomicity:</b> {@code commit} makes the part durable (data and directory flushed) and
 * then makes it the latest snapshot in one atomic step; a crash at any earlier point leaves the previous latest
 * snapshot intact and readable. {@link #close()} without a commit discards the partial data. <b>Threading:</b>
 * used by one thread (a background snapshot thread); may block. <b>Failure:</b> {@link StorageFullException}
 * when the disk is full (the previous snapshot stays in force); other {@link IOException}s likewise leave the
 * previous snapshot in force.
 */
public interface SnapshotWriter extends AutoCloseable {
    /**
     * Returns the metadata the snapshot will carry.
     *
     * @return the metadata given when it was created
     */
    SnapshotMeta meta();

    /**
     * Returns the stream the snapshot data is written to. Closing the stream does not commit.
     *
     * @return the data stream
     */
    OutputStream output();

    /**
     * Flushes the data durably and atomically makes this snapshot the latest.
     *
     * @throws IOException if flushing or publishing failed; the previous snapshot stays the latest
     */
    void commit() throws IOException;

    /**
     * Discards the data unless committed. Idempotent.
     *
     * @throws IOException if cleaning up failed
     */
    @Override
    void close() throws IOException;
}
