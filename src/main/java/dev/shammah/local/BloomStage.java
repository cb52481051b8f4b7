package dev.shammah.local;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One Bloom filter of the {@link KeyFilter}'s stages, probed with a hash computed once per key for all of them.
 * Guava's {@code BloomFilter} hashes the key again in every filter asked; with a stage added each time the keys
 * double, an absent key (nearly every key of a new prompt) was hashed once per stage, and that hashing was 4% of a
 * learning-on daemon's CPU under a flood of new prompts. The probes are Guava's own scheme (Kirsch-Mitzenmacher
 * double hashing of the two halves of a 128-bit murmur3 hash), the sizes the standard optimum for a false-positive
 * rate. Bits are set atomically, so a reader never sees a key half added.
 */
final class BloomStage {
    private static final double LN2 = Math.log(2);

    private final AtomicLongArray words;
    private final long bits;
    private final int probes;

    /** A filter for {@code capacity} keys at about {@code falsePositives} when that many are in it. */
    BloomStage(long capacity, double falsePositives) {
        long n = Math.max(1, capacity);
        long m = Math.max(64, (long) Math.ceil(-n * Math.log(falsePositives) / (LN2 * LN2)));
        this.words = new AtomicLongArray(Math.toIntExact((m + 63) / 64));
        this.bits = words.length() * 64L;
        this.probes = Math.max(1, (int) Math.round((double) m / n * LN2));
    }

    void put(long h1, long h2) {
        long combined = h1;
        for (int i = 0; i < probes; i++, combined += h2) {
            long bit = (combined & Long.MAX_VALUE) % bits;
            int word = (int) (bit >>> 6);
            long mask = 1L << bit;
            long old = words.get(word);
            while ((old & mask) == 0 && !words.compareAndSet(word, old, old | mask)) {
                old = words.get(word);
            }
        }
    }

    boolean mightContain(long h1, long h2) {
        long combined = h1;
        for (int i = 0; i < probes; i++, combined += h2) {
            long bit = (combined & Long.MAX_VALUE) % bits;
            if ((words.get((int) (bit >>> 6)) & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }
}
