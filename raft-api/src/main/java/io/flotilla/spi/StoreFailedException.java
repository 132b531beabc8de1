package io.flotilla.spi;

import java.io.IOException;

/**
 * The store failed permanently, typically because a flush ({@code fsync}) reported an error: the kernel may have
 * dropped the dirty data, so retrying could report success for data that is gone. Every call after the
 * first failure throws this, with the original error as the cause. Reopening the store (after fixing the cause)
 * recovers from what is really on disk.
 */
public final class StoreFailedException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed
     * @param cause the first error
     */
    public StoreFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
