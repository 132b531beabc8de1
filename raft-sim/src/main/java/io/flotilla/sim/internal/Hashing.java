package io.flotilla.sim.internal;

import io.flotilla.Bytes;

/** Small, fast, deterministic 64-bit hashing for trace hashes, hash chains and digests. Thread-safe. */
public final class Hashing {
    private Hashing() {}

    /**
     * Mixes a value into a running hash (a SplitMix64-style finalizer over the combination).
     *
     * @param h the running hash
     * @param v the value
     * @return the new hash
     */
    public static long mix(long h, long v) {
        long z = h * 0x9E3779B97F4A7C15L + v + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Hashes bytes (FNV-1a 64 then mixed).
     *
     * @param bytes the bytes
     * @return the hash
     */
    public static long hash(Bytes bytes) {
        long h = 0xCBF29CE484222325L;
        for (int i = 0, n = bytes.size(); i < n; i++) {
            h ^= bytes.byteAt(i) & 0xFF;
            h *= 0x100000001B3L;
        }
        return mix(h, bytes.size());
    }
}
