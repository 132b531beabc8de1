package io.flotilla.spi;

import java.io.IOException;
import java.util.Optional;

/**
 * Stored data failed its integrity check (checksum mismatch, impossible length, broken index continuity) in a
 * place where it cannot be a torn write from a crash. The store refuses to guess: the node does not start (or
 * stops), and the message names the file and offset so an operator can inspect it with the store's tools.
 */
public final class CorruptedStoreException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String location;
    private final long offset;

    /**
     * Creates the exception.
     *
     * @param location the file, database or key holding the bad data
     * @param offset the byte offset of the bad record within it, or -1 if not applicable
     * @param detail what check failed
     */
    public CorruptedStoreException(String location, long offset, String detail) {
        super("corrupt data in " + location + (offset >= 0 ? " at offset " + offset : "") + ": " + detail);
        this.location = location;
        this.offset = offset;
    }

    /**
     * Returns where the bad data is.
     *
     * @return the file, database or key
     */
    public String location() {
        return location;
    }

    /**
     * Returns the byte offset of the bad record.
     *
     * @return the offset, or empty if not applicable
     */
    public Optional<Long> offset() {
        return offset >= 0 ? Optional.of(offset) : Optional.empty();
    }
}
