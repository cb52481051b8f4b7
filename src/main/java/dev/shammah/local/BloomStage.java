package dev.shammah.local;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import com.google.common.primitives.Longs;

/**
 * One Bloom filter of the {@link KeyFilter}'s stages, probed with a hash computed once per key for all of them
 * ({@link Hash#of}). Guava's {@code BloomFilter} hashes the key again in every filter asked; with a stage added each
 * time the keys double, an absent key (nearly every key of a new prompt) was hashed once per stage, and that hashing
 * was 4% of a learning-on daemon's CPU under a flood of new prompts. The probes are Guava's own scheme
 * (Kirsch-Mitzenmacher double hashing of the two halves of a 128-bit murmur3 hash), the sizes the standard optimum
 * for a false-positive rate. Bits are read and set atomically: a key whose bits are being set while it is asked for
 * may read as absent (a forward), never a set bit as clear afterwards.
 *
 * <p>The bits live outside the Java heap, in a direct buffer, as Cassandra keeps its Bloom filters: they grow with
 * every key learned and are never collected while the filter stands, so on the heap they made its size a function of
 * what the memory holds (a learning-on daemon under a flood of new prompts gained ~47 bytes of heap per exchange for
 * them, the largest share of its growth). Outside it, the heap an operator sizes is for traffic; what the filters
 * take is read from {@link #bytes()} (with the rewordings' vectors, the {@code shammah_learned_offheap_bytes} gauge).
 */
final class BloomStage {
    private static final HashFunction MURMUR = Hashing.murmur3_128();
    private static final double LN2 = Math.log(2);

    /** A key's 128-bit hash, as its two 64-bit halves (little-endian, as Guava reads them). */
    record Hash(long low, long high) {
        static Hash of(String key) {
            byte[] b = MURMUR.hashString(key, StandardCharsets.UTF_8).asBytes();
            return new Hash(Longs.fromBytes(b[7], b[6], b[5], b[4], b[3], b[2], b[1], b[0]),
                    Longs.fromBytes(b[15], b[14], b[13], b[12], b[11], b[10], b[9], b[8]));
        }
    }

    /** 64-bit words of a direct buffer, read and or-ed atomically (the buffer is 8-byte aligned, as atomics need). */
    private static final VarHandle WORD = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final ByteBuffer words;
    private final long bits;
    private final int probes;

    /** A filter for {@code capacity} keys at about {@code falsePositives} when that many are in it. */
    BloomStage(long capacity, double falsePositives) {
        long n = Math.max(1, capacity);
        long m = Math.max(64, (long) Math.ceil(-n * Math.log(falsePositives) / (LN2 * LN2)));
        int bytes = Math.toIntExact((m + 63) / 64 * Long.BYTES);
        // Zeroed by the JVM; freed when the stage is collected (a rebuild replaces every stage).
        this.words = ByteBuffer.allocateDirect(bytes + Long.BYTES - 1).alignedSlice(Long.BYTES);
        this.bits = (long) words.capacity() / Long.BYTES * 64;
        this.probes = Math.max(1, (int) Math.round((double) m / n * LN2));
    }

    void put(Hash h) {
        long combined = h.low();
        for (int i = 0; i < probes; i++, combined += h.high()) {
            long bit = (combined & Long.MAX_VALUE) % bits;
            WORD.getAndBitwiseOr(words, offset(bit), 1L << bit);
        }
    }

    boolean mightContain(Hash h) {
        long combined = h.low();
        for (int i = 0; i < probes; i++, combined += h.high()) {
            long bit = (combined & Long.MAX_VALUE) % bits;
            if (((long) WORD.getAcquire(words, offset(bit)) & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }

    /** The bytes its bits take, outside the heap. */
    long bytes() {
        return words.capacity();
    }

    /** The byte offset of the word holding {@code bit}. */
    private static int offset(long bit) {
        return (int) (bit >>> 6) * Long.BYTES;
    }
}
