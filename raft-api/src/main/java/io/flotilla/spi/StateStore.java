package io.flotilla.spi;

import io.flotilla.HardState;
import java.io.IOException;
import java.util.Set;

/**
 * Stores the node's {@link HardState} (current term and vote), which must be durable before the node sends any
 * vote or acknowledgement (§5.1; a vote forgotten in a crash can elect two leaders in one term).
 *
 * <p><b>Durability:</b> when {@link #save} returns, the new state is on stable storage (unless the store declares
 * {@link Capability#VOLATILE}), and an update is
 * atomic: after a crash {@link #load} returns either the previous or the new state, never a mix and never
 * {@link HardState#INITIAL} for a node that had saved something. <b>Threading:</b> called from one thread at a
 * time (the storage thread, or the loop during start-up); may block. <b>Failure:</b> as {@link LogStore}: any
 * exception stops the node; if no valid copy can be read, {@code load} throws {@link CorruptedStoreException}
 * (never falls back to term 0).
 */
public interface StateStore extends AutoCloseable {

    /**
     * Returns the last saved state.
     *
     * @return the state, or {@link HardState#INITIAL} if none was ever saved
     * @throws CorruptedStoreException if stored state exists but no copy of it is valid
     * @throws IOException if reading failed
     */
    HardState load() throws IOException;

    /**
     * Saves the state durably and atomically.
     *
     * @param state the new state
     * @throws StorageFullException if there is no space; the previous state stays in force
     * @throws IOException if the write or flush failed; the node stops
     */
    void save(HardState state) throws IOException;

    /**
     * Returns the optional abilities of this store. Of today's {@link Capability} values only
     * {@link Capability#VOLATILE} applies: the state lives in memory only and is lost when the process ends, which
     * is acceptable in tests and simulations but lets a restarted node vote twice in one term.
     *
     * <p><b>Threading:</b> may be called from any thread, also before {@link #load} and after {@link #close}.
     * <b>Blocking:</b> never blocks and does no I/O. <b>Failure:</b> never throws. The set is the same on every call.
     *
     * @return the capabilities, an unmodifiable set; empty by default (a durable store)
     */
    default Set<Capability> capabilities() {
        return Set.of();
    }

    /**
     * Releases resources. Idempotent.
     *
     * @throws IOException if releasing failed
     */
    @Override
    void close() throws IOException;
}
