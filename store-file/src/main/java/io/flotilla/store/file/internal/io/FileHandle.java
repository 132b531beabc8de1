package io.flotilla.store.file.internal.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * An open file: positional reads and writes, flush, size changes. Thread-safe; positional reads may run
 * concurrently with writes to other regions.
 */
public interface FileHandle extends Closeable {

    /**
     * Reads bytes at a position into a buffer, as many as are available up to the buffer's remaining space.
     *
     * @param dst the destination
     * @param position the file offset
     * @return the number of bytes read, or -1 at the end of the file
     * @throws IOException if reading failed
     */
    int read(ByteBuffer dst, long position) throws IOException;

    /**
     * Writes all remaining bytes of a buffer at a position, extending the file if needed.
     *
     * @param src the bytes
     * @param position the file offset
     * @throws io.flotilla.spi.StorageFullException if the disk is full
     * @throws IOException if writing failed
     */
    void write(ByteBuffer src, long position) throws IOException;

    /**
     * Flushes written data to stable storage.
     *
     * @param metadata whether size and other metadata must be flushed too ({@code fsync} rather than
     *     {@code fdatasync})
     * @throws IOException if flushing failed; the data may be lost
     */
    void force(boolean metadata) throws IOException;

    /**
     * Shrinks the file to a size (durable after {@code force(true)}).
     *
     * @param size the new size
     * @throws IOException if truncating failed
     */
    void truncate(long size) throws IOException;

    /**
     * Returns the current size.
     *
     * @return the size in bytes
     * @throws IOException if the size cannot be read
     */
    long size() throws IOException;

    /**
     * Reads exactly {@code dst.remaining()} bytes, or fewer only at the end of the file.
     *
     * @param dst the destination
     * @param position the offset
     * @return the bytes read
     * @throws IOException if reading failed
     */
    default int readFully(ByteBuffer dst, long position) throws IOException {
        int total = 0;
        while (dst.hasRemaining()) {
            int n = read(dst, position + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }
}
