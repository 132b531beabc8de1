package io.flotilla.sim.internal;

import io.flotilla.LogEntry;
import java.util.Arrays;

/**
 * The simulator's model of what one node's log store holds durably: per index the term, a hash of the payload
 * and a hash chain {@code h_i = H(h_{i-1}, i, term_i, payload_i)}, so that equal chain values at an index prove
 * equal prefixes (Log Matching, §5.3) in O(1). Updated only after a store call returned. Survives the node's
 * crashes, like the store it models.
 *
 * <h2>Compaction</h2>
 * After {@code compactPrefix(s)} the store holds a snapshot through {@code s} (§7), and the entries after it if it
 * held any. A snapshot holds the committed prefix, so the chain at {@code s} becomes the committed (ghost) chain
 * the {@link SafetyMonitor} keeps and the entries after {@code s} are chained onto it: Log Matching stays checked
 * on nodes that compacted or installed snapshots. If what the model held at {@code s} was not the committed entry
 * (a follower that discards its log for a snapshot may compact before it truncates the stale entries), the
 * entries still after {@code s} are stale too and get no chain until they are truncated. If the committed chain
 * does not reach {@code s} yet, nothing after {@code s} has a chain until it does ({@link #anchor}).
 *
 * <p><b>Threading:</b> confined to the simulation thread.
 */
final class DurableLog {
    /** The chain value that means "unknown"; a computed chain value of 0 is stored as 1. */
    private static final long UNKNOWN = 0;

    /** What a {@link #compactPrefix} did to the model. */
    enum Compaction {
        /** Nothing: the point was already compacted. */
        NONE,
        /** The modelled chain at the point was the committed one; nothing else changed. */
        CONSISTENT,
        /** The chain at the point was set to the committed one and the entries after it re-chained onto it. */
        ANCHORED,
        /** The model held other entries at the point than the committed ones: the chain at the point was set to
         * the committed one, and the entries still after it (stale, soon truncated) have no chain. */
        STALE,
        /** The committed chain does not reach the point yet: no chain from it on until {@link #anchor}. */
        PENDING
    }

    private long[] terms = new long[64];
    private long[] payloads = new long[64];
    // Invariant: chain[i] != UNKNOWN for resetThrough <= i <= j implies the same for every i between resetThrough
    // and j (a known value is only ever computed from a known predecessor, or set at resetThrough).
    private long[] chain = new long[64];
    /** Indices at or below this are compacted into a snapshot and carry no entry (0: none). */
    private long resetThrough;
    private long lastIndex;
    /** An index whose chain waits for the committed chain to reach it (0: none). */
    private long pendingAnchor;
    /** The term the model held at the pending anchor when it was compacted (-1: none). */
    private long pendingTerm;
    /** Whether entries compacted-over with the pending anchor may still follow it (cleared by a truncation). */
    private boolean pendingSuspect;

    long lastIndex() {
        return lastIndex;
    }

    /** @return whether the entry at {@code index} is modelled (held, not compacted) */
    boolean has(long index) {
        return index > resetThrough && index <= lastIndex;
    }

    /** @return whether {@code index} (above 0) is covered by the snapshot the store holds */
    boolean compacted(long index) {
        return index > 0 && index <= resetThrough;
    }

    long term(long index) {
        return terms[(int) index];
    }

    long payloadHash(long index) {
        return payloads[(int) index];
    }

    /** @return the chain hash at {@code index}; 0 for index 0 */
    long chain(long index) {
        return index == 0 ? 0 : chain[(int) index];
    }

    /** @return whether the chain at {@code index} is known: at the compaction point or after it, and anchored */
    boolean chainKnown(long index) {
        return index == 0 || (index >= resetThrough && index <= lastIndex && chain[(int) index] != UNKNOWN);
    }

    /** @return the index whose chain waits for the committed chain, or 0 */
    long pendingAnchor() {
        return pendingAnchor;
    }

    /**
     * Appends entries and returns the first violated rule, if any.
     *
     * @param entries consecutive entries at {@code lastIndex + 1}
     * @return null, or a description of what is wrong
     */
    String append(java.util.List<LogEntry> entries) {
        for (LogEntry e : entries) {
            long i = e.index();
            if (i != lastIndex + 1) {
                return "append at index " + i + " does not continue the log ending at " + lastIndex;
            }
            ensure(i);
            long prevTerm = i - 1 > resetThrough && i > 1 ? terms[(int) (i - 1)] : 0;
            if (e.term() < prevTerm) {
                return "entry " + i + " has term " + e.term() + " below the term " + prevTerm + " of entry " + (i - 1);
            }
            terms[(int) i] = e.term();
            payloads[(int) i] = Hashing.mix(Hashing.hash(e.payload()), e.kind().ordinal());
            chain[(int) i] = chainKnown(i - 1) ? link(i) : UNKNOWN;
            lastIndex = i;
        }
        return null;
    }

    /** @return the chain value at {@code i} computed from the one at {@code i - 1} */
    private long link(long i) {
        long h = Hashing.mix(Hashing.mix(Hashing.mix(chain(i - 1), i), terms[(int) i]), payloads[(int) i]);
        return h == UNKNOWN ? 1 : h;
    }

    void truncateSuffix(long fromIndex) {
        lastIndex = Math.min(lastIndex, fromIndex - 1);
        if (pendingAnchor > 0 && lastIndex <= pendingAnchor) {
            pendingSuspect = false; // whatever followed the pending anchor is gone
        }
        if (lastIndex < resetThrough) {
            // Below the compaction point (a store that kept entries there): the chain there is not modelled.
            resetThrough = lastIndex;
            if (lastIndex > 0) {
                chain[(int) lastIndex] = UNKNOWN;
                pendingAnchor = lastIndex;
                pendingTerm = -1;
                pendingSuspect = false;
            }
        }
    }

    /**
     * Records {@code compactPrefix(throughIndex)}: the store now holds a snapshot through that index and the
     * entries after it; if {@code throughIndex >= lastIndex()} the log is empty and continues at
     * {@code throughIndex + 1}.
     *
     * @param throughIndex the compaction point
     * @param committedKnown whether the committed chain reaches {@code throughIndex}
     * @param committedChain the committed chain value at {@code throughIndex}, if known
     * @param committedTerm the term of the committed entry at {@code throughIndex}, if known
     * @return what changed
     */
    Compaction compactPrefix(long throughIndex, boolean committedKnown, long committedChain, long committedTerm) {
        if (throughIndex <= resetThrough) {
            return Compaction.NONE;
        }
        boolean ownKnown = chainKnown(throughIndex);
        long own = ownKnown ? chain(throughIndex) : UNKNOWN;
        // The term the model holds at the point (-1: none), and whether entries follow it.
        long ownTerm = has(throughIndex) ? terms[(int) throughIndex] : -1;
        boolean entriesAfter = lastIndex > throughIndex;
        resetThrough = throughIndex;
        if (throughIndex >= lastIndex) {
            lastIndex = throughIndex;
        }
        ensure(throughIndex);
        if (pendingAnchor <= throughIndex) {
            pendingAnchor = 0;
        }
        if (!committedKnown) {
            // Stale or not, nothing can tell yet: no chain from here on until the committed chain gets here.
            chain[(int) throughIndex] = UNKNOWN;
            invalidateAfter(throughIndex);
            pendingAnchor = throughIndex;
            pendingTerm = ownTerm;
            pendingSuspect = entriesAfter;
            return Compaction.PENDING;
        }
        if (ownKnown && own == committedChain) {
            return Compaction.CONSISTENT;
        }
        chain[(int) throughIndex] = committedChain;
        if (ownKnown || (ownTerm >= 0 && ownTerm != committedTerm)) {
            invalidateAfter(throughIndex); // entries after a stale prefix: stale too
            return Compaction.STALE;
        }
        rechainAfter(throughIndex);
        return Compaction.ANCHORED;
    }

    /**
     * Sets the chain at the pending anchor to the committed chain and re-chains the entries after it, unless they
     * may have followed other entries than the committed ones.
     *
     * @param committedChain the committed chain value at {@link #pendingAnchor()}
     * @param committedTerm the term of the committed entry there
     * @return whether the entries after the anchor were re-chained
     */
    boolean anchor(long committedChain, long committedTerm) {
        long at = pendingAnchor;
        pendingAnchor = 0;
        if (at == 0 || at < resetThrough || at > lastIndex) {
            return false;
        }
        chain[(int) at] = committedChain;
        if (pendingSuspect && pendingTerm != committedTerm) {
            return false; // stale entries still follow the point: they keep no chain until truncated
        }
        rechainAfter(at);
        return true;
    }

    private void invalidateAfter(long index) {
        for (long i = index + 1; i <= lastIndex; i++) {
            chain[(int) i] = UNKNOWN;
        }
    }

    private void rechainAfter(long index) {
        for (long i = index + 1; i <= lastIndex; i++) {
            chain[(int) i] = link(i);
        }
    }

    private void ensure(long index) {
        if (index >= terms.length) {
            int n = (int) Math.max(index + 1, terms.length * 2L);
            terms = Arrays.copyOf(terms, n);
            payloads = Arrays.copyOf(payloads, n);
            chain = Arrays.copyOf(chain, n);
        }
    }
}
