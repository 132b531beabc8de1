package io.flotilla.spi;

import java.io.IOException;
import java.util.Set;

/**
 * The stores of one node, opened together from one location by a {@link LogStoreProvider}: the log, the hard
 * state and the snapshots. Closing it closes all three.
 *
 * <p><b>Threading:</b> the accessors are thread-safe and return the same instances every time.
 */
public interface Storage extends AutoCloseable {
    /**
     * Returns the log store.
     *
     * @return the log
     */
    LogStore log();

    /**
     * Returns the hard-state store.
     *
     * @return the state store
     */
    StateStore state();

    /**
     * Returns the snapshot store.
     *
     * @return the snapshot store
     */
    SnapshotStore snapshots();

    /**
     * Returns the abilities common to the three stores, such as {@link Capability#VOLATILE}.
     *
     * @return the capabilities; empty by default
     */
    default Set<Capability> capabilities() {
        return Set.of();
    }

    /**
     * Closes the three stores. Idempotent.
     *
     * @throws IOException if closing any of them failed
     */
    @Override
    void close() throws IOException;
}
