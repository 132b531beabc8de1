package io.flotilla.spi;

import java.io.IOException;

/**
 * A write failed because the disk (or a store's configured capacity, such as an LMDB map) is full. The store
 * is unchanged by the failed call and opens normally once space is freed. The node still stops: a member that
 * cannot persist cannot take part in Raft.
 */
public final class StorageFullException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what could not be written
     * @param cause the underlying error, or {@code null}
     */
    public StorageFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
