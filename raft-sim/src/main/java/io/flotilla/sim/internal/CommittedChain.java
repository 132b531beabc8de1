package io.flotilla.sim.internal;

import java.util.Arrays;

/**
 * The committed ("ghost") log as the {@link SafetyMonitor} learned it from leaders' commit advances: the hash-chain
 * value and the term of every committed index up to {@link #max()}, copied from a durable copy of those entries.
 * Leader Completeness compares each later commit with it, and a node that compacts its log into a snapshot has its
 * modelled chain anchored on it ({@link DurableLog}).
 *
 * <p><b>Threading:</b> confined to the simulation thread.
 */
final class CommittedChain {
    // Invariant: for 0 < i <= max, chain[i] and terms[i] describe the committed entry at index i.
    private long[] chain = new long[64];
    private long[] terms = new long[64];
    private long max;

    /** @return the highest index known committed */
    long max() {
        return max;
    }

    /** @return whether the committed entry at {@code index} is known */
    boolean knows(long index) {
        return index <= max;
    }

    /** @return the chain value of the committed prefix through {@code index} (known indices only; 0 for 0) */
    long chain(long index) {
        return chain[(int) index];
    }

    /** @return the term of the committed entry at {@code index} (known indices only) */
    long term(long index) {
        return terms[(int) index];
    }

    /**
     * Extends the committed log through {@code index} from {@code copy}, if it models every entry after
     * {@link #max()} up to there with a known chain.
     *
     * @param copy a durable copy of the committed entries
     * @param index the new commit index, above {@link #max()}
     * @return whether it was extended
     */
    boolean extend(DurableLog copy, long index) {
        long from = max + 1;
        // Chains are known over a contiguous range, so its two ends tell.
        if (!copy.has(from) || !copy.chainKnown(from) || !copy.chainKnown(index)) {
            return false;
        }
        if (index >= chain.length) {
            int n = (int) Math.max(index + 1, chain.length * 2L);
            chain = Arrays.copyOf(chain, n);
            terms = Arrays.copyOf(terms, n);
        }
        for (long i = from; i <= index; i++) {
            chain[(int) i] = copy.chain(i);
            terms[(int) i] = copy.term(i);
        }
        max = index;
        return true;
    }
}
