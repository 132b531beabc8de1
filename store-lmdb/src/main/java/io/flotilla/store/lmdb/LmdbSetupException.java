package io.flotilla.store.lmdb;

import java.io.IOException;
import java.util.List;

/**
 * The JVM cannot run lmdbjava as launched: a {@code java.base} package it reaches into is not opened to it, or the
 * native LMDB library cannot be loaded on this platform. Thrown when a store is opened, before any native call,
 * so a misconfigured launch fails with this message instead of crashing; nothing on disk was touched. Add the
 * flags of {@link #requiredJvmFlags()} to the launch (see {@code docs/store-lmdb.md}) and start again. Retrying
 * in the same JVM never helps.
 */
public final class LmdbSetupException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The flags this JVM needs; serializable as strings. */
    private final List<String> requiredJvmFlags;

    /**
     * Creates the exception.
     *
     * @param message what is missing and how to fix it
     * @param requiredJvmFlags the JVM flags to add, possibly empty (e.g. a missing native library)
     * @param cause the underlying error, or {@code null}
     */
    public LmdbSetupException(String message, List<String> requiredJvmFlags, Throwable cause) {
        super(message, cause);
        this.requiredJvmFlags = List.copyOf(requiredJvmFlags);
    }

    /**
     * Returns the JVM flags the launch must add, for example
     * {@code --add-opens java.base/java.nio=lmdbjava}.
     *
     * @return the flags, in launch order; empty if the problem is not a flag
     */
    public List<String> requiredJvmFlags() {
        return requiredJvmFlags;
    }
}
