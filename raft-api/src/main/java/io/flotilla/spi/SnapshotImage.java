package io.flotilla.spi;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A consistent, frozen view of a state machine's state, captured cheaply by
 * {@link StateMachine#prepareSnapshot} and written out later by a background thread while the state machine
 * keeps applying commands (for example a persistent data structure, or a copy-on-write map).
 *
 * <p><b>Threading:</b> {@link #writeTo} runs on a background thread, concurrently with
 * {@link StateMachine#apply}; it must read only the frozen view. {@link #close} is called once, after writing.
 */
public interface SnapshotImage extends AutoCloseable {
    /**
     * Writes the image to a stream, in the state machine's own format.
     *
     * @param out the destination; not closed by this method
     * @throws IOException if writing failed; the snapshot is abandoned and the previous one stays
     */
    void writeTo(OutputStream out) throws IOException;

    /** Releases what the view holds (for example a read transaction). Default: nothing. */
    @Override
    default void close() {}
}
