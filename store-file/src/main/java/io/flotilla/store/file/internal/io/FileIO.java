package io.flotilla.store.file.internal.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The file-system operations the store uses, and nothing more, so that tests can run the real store code over
 * a simulated disk ({@link SimFileIO}) that injects faults and builds crash states.
 *
 * <p><b>Durability model:</b> data written through a {@link FileHandle} is durable only after
 * {@link FileHandle#force}; a created, renamed or deleted name is durable only after {@link #syncDirectory} of its
 * parent. <b>Failure:</b> a full disk is reported as {@link io.flotilla.spi.StorageFullException}; any other
 * failure as a plain {@link IOException}. <b>Threading:</b> implementations are thread-safe.
 */
public interface FileIO {

    /**
     * Opens a file for reading and writing.
     *
     * @param file the file
     * @param create whether to create it if absent
     * @return the handle
     * @throws java.nio.file.NoSuchFileException if absent and {@code create} is false
     * @throws IOException if opening failed
     */
    FileHandle open(Path file, boolean create) throws IOException;

    /**
     * Returns whether a file or directory exists.
     *
     * @param path the path
     * @return {@code true} if it exists
     */
    boolean exists(Path path);

    /**
     * Creates a directory and its parents if absent.
     *
     * @param dir the directory
     * @throws IOException if creating failed
     */
    void createDirectories(Path dir) throws IOException;

    /**
     * Lists the names of the files directly in a directory, sorted.
     *
     * @param dir the directory
     * @return the file names
     * @throws IOException if listing failed
     */
    List<String> list(Path dir) throws IOException;

    /**
     * Deletes a file if it exists.
     *
     * @param file the file
     * @throws IOException if deleting failed
     */
    void delete(Path file) throws IOException;

    /**
     * Atomically renames a file, replacing the target.
     *
     * @param from the source
     * @param to the target
     * @throws IOException if renaming failed
     */
    void rename(Path from, Path to) throws IOException;

    /**
     * Makes the directory's entries (created, renamed, deleted names) durable.
     *
     * @param dir the directory
     * @throws IOException if flushing failed
     */
    void syncDirectory(Path dir) throws IOException;
}
