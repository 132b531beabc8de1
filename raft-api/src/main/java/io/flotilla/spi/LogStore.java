package io.flotilla.spi;

import io.flotilla.LogEntry;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * The durable Raft log of one node: a contiguous run of entries {@code [firstIndex, lastIndex]}, where entries
 * before {@code firstIndex} were compacted into a snapshot.
 *
 * <h2>Durability</h2>
 * When {@link #append}, {@link #truncateSuffix} or {@link #compactPrefix} returns, its effect is on stable
 * storage (the file system has confirmed a flush, e.g. {@code FileChannel.force}), unless the store declares
 * {@link Capability#VOLATILE}. Raft's safety depends on this: the node acknowledges entries to the leader, and
 * counts its own log toward commit, only after {@code append} returns.
 *
 * <h2>Threading and blocking</h2>
 * Writes ({@code append}, {@code truncateSuffix}, {@code compactPrefix}) come from one thread at a time — the
 * node's storage thread — and may block on I/O. Reads ({@code firstIndex}, {@code lastIndex}, {@code term},
 * {@code entries}) may come from another thread (the event loop) at the same time as a write, and must then see
 * either the state before or after that write; the core never reads an index a concurrent write removes.
 * Stores that allow this declare {@link Capability#CONCURRENT_READS}; every built-in store does.
 *
 * <h2>Failure</h2>
 * Methods throw {@link IOException}. The node treats any failure of a write as fatal: it moves to
 * {@code FAILED}, stops voting and serving, and never retries (a failed {@code fsync} may have dropped
 * dirty pages). A store that detects corrupt data throws {@link CorruptedStoreException}; a full disk gives
 * {@link StorageFullException} and must leave the store as it was before the call. After a failed
 * flush a store must fail every later call ({@link StoreFailedException}).
 */
public interface LogStore extends AutoCloseable {

    /**
     * Returns the first index that can be read. 1 for a log that was never compacted; after
     * {@code compactPrefix(i)} it is at most {@code i + 1} (a store may keep some entries at or below
     * {@code i}, e.g. to delete whole segments only).
     *
     * @return the first readable index; {@code lastIndex() + 1} when the log is empty
     * @throws IOException if the store failed
     */
    long firstIndex() throws IOException;

    /**
     * Returns the index of the last entry.
     *
     * @return the last index; {@code firstIndex() - 1} when the log is empty (0 for a new log)
     * @throws IOException if the store failed
     */
    long lastIndex() throws IOException;

    /**
     * Returns the term of one entry.
     *
     * @param index an index in {@code [firstIndex(), lastIndex()]}, or 0
     * @return the entry's term; 0 for index 0
     * @throws LogCompactedException if {@code 0 < index < firstIndex()}
     * @throws IllegalArgumentException if {@code index > lastIndex()} or negative
     * @throws IOException if the store failed or the entry is corrupt
     */
    long term(long index) throws IOException;

    /**
     * Reads consecutive entries {@code [fromIndex, toIndex)}, stopping early once their
     * {@link LogEntry#sizeBytes()} would exceed {@code maxBytes}. At least one entry is returned when the range
     * is not empty, however large it is.
     *
     * @param fromIndex the first index, at least {@code firstIndex()}
     * @param toIndex the end, exclusive, at most {@code lastIndex() + 1}
     * @param maxBytes the byte budget
     * @return a prefix of the range, in index order; empty only if {@code fromIndex == toIndex}
     * @throws LogCompactedException if {@code fromIndex < firstIndex()}
     * @throws IllegalArgumentException if {@code toIndex > lastIndex() + 1} or {@code toIndex < fromIndex}
     * @throws IOException if the store failed or an entry is corrupt
     */
    List<LogEntry> entries(long fromIndex, long toIndex, long maxBytes) throws IOException;

    /**
     * Appends entries at the end of the log and makes them durable before returning. Many entries in one call
     * share one flush (group commit).
     *
     * @param entries consecutive entries, the first at {@code lastIndex() + 1}; may be empty
     * @throws IllegalArgumentException if the entries do not continue the log (use {@link #truncateSuffix}
     *     first to overwrite)
     * @throws StorageFullException if there is no space; the log is unchanged
     * @throws IOException if the write or flush failed; the node stops
     */
    void append(List<LogEntry> entries) throws IOException;

    /**
     * Removes every entry at or after {@code fromIndex}, durably. Used when a follower's log conflicts with the
     * leader's (§5.3).
     *
     * @param fromIndex the first index to remove, in {@code [firstIndex(), lastIndex() + 1]}
     * @throws IllegalArgumentException if the index is outside that range
     * @throws IOException if the store failed
     */
    void truncateSuffix(long fromIndex) throws IOException;

    /**
     * Allows the store to discard every entry at or before {@code throughIndex}, which a snapshot now covers
     * (§7). The store may keep some of them; see {@link #firstIndex()}. If {@code throughIndex >= lastIndex()}
     * the log becomes empty and the next {@link #append} starts at {@code throughIndex + 1}: this is how a
     * follower that installed a snapshot beyond its log resets it. The new bounds are durable on return.
     *
     * @param throughIndex the last index the snapshot covers, at least 0
     * @throws IOException if the store failed
     */
    void compactPrefix(long throughIndex) throws IOException;

    /**
     * Returns the optional abilities of this store.
     *
     * @return the capabilities; empty by default
     */
    default Set<Capability> capabilities() {
        return Set.of();
    }

    /**
     * Releases files and memory. Idempotent. Later calls to other methods fail with {@link IOException}.
     *
     * @throws IOException if releasing failed
     */
    @Override
    void close() throws IOException;
}
