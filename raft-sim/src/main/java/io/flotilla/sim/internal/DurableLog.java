package io.flotilla.sim.internal;

import io.flotilla.LogEntry;
import java.util.Arrays;

/**
 * The simulator's model of what one node's log store holds durably: per index the term, a hash of the payload
 * and a hash chain {@code h_i = H(h_{i-1}, i, term_i, payload_i)}, so that equal chain values at an index prove
 * equal prefixes (Log Matching, §5.3) in O(1). Updated only after a store call returned. Survives the node's
 * crashes, like the store it models.
 *
 * <p><b>Threading:</b> confined to the simulation thread.
 */
final class DurableLog {
    private long[] terms = new long[64];
    private long[] payloads = new long[64];
    private long[] chain = new long[64];
    /** Indices at or below this were reset by a compaction and carry no chain (0: none). */
    private long resetThrough;
    private long lastIndex;

    long lastIndex() {
        return lastIndex;
    }

    /** @return whether the entry at {@code index} is modelled */
    boolean has(long index) {
        return index > resetThrough && index <= lastIndex;
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

    /** @return whether the chain at {@code index} is known (not behind a reset) */
    boolean chainKnown(long index) {
        return index == 0 || (resetThrough == 0 && index <= lastIndex);
    }

    long lastTerm() {
        return lastIndex == 0 || lastIndex <= resetThrough ? 0 : terms[(int) lastIndex];
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
            long p = Hashing.mix(Hashing.hash(e.payload()), e.kind().ordinal());
            terms[(int) i] = e.term();
            payloads[(int) i] = p;
            chain[(int) i] = Hashing.mix(Hashing.mix(Hashing.mix(chain(i - 1), i), e.term()), p);
            lastIndex = i;
        }
        return null;
    }

    void truncateSuffix(long fromIndex) {
        lastIndex = Math.min(lastIndex, fromIndex - 1);
    }

    void compactPrefix(long throughIndex) {
        if (throughIndex >= lastIndex) {
            // The log restarts after a snapshot; the chain of the entries it held is no longer comparable.
            resetThrough = throughIndex;
            lastIndex = throughIndex;
        }
        // Otherwise the entries stay modelled: a committed entry stays "held" for quorum checks.
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
