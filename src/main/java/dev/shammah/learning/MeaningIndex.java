package dev.shammah.learning;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.shammah.local.Encoder;

/**
 * Stored prompts by meaning: the unit-length embeddings of stored exchanges' prompts, each filed under its scope
 * (tenant and context key, as the memory keys them), so that a search finds the nearest prompts <em>within one
 * scope only</em>: another tenant's or another context's exchanges are never candidates.
 *
 * <p>An exact scan of the scope, in memory. Lucene's HNSW vectors were tried first (a {@code KnnFloatVectorField}
 * filtered by scope): every search after an add had to reopen the near-real-time reader, which flushes a segment
 * and builds its graph, and on the bench's stream (a search and an add per forwarded request) that made learning
 * fall behind the requests. A scan is linear: for the paired encoders' 768 dimensions 0.24 ms p50 for 1,000
 * prompts in one scope, about 2 ms for 5,000, 13 ms for 50,000 ({@code MeaningIndexScan} in the tests, this 2-core
 * machine), paid on the observer's thread and, for a tenant with a trusted band, on the request's. Past some tens of
 * thousands of prompts per scope a graph (HNSW, searched without reopening after every add) would be the better
 * trade. Rebuilt from the memory at start (see {@link Rewordings}): a vector is the encoder's
 * function of a prompt the memory keeps. Its methods hold its lock: the observer files and searches on its own thread,
 * and a request deciding whether a rewording may be served searches on its own (a scan of a scope at a time).
 *
 * <p>The vectors live outside the Java heap, in direct buffers of up to {@value #PAGE} vectors each (a scope's
 * first grows by doubling, so a scope of one prompt takes one vector's bytes, not a page's): at 3 KB a prompt they
 * were the heap's largest growth per prompt learned, kept for as long as the memory keeps the prompt, and an
 * operator sizes the heap for traffic, not for what has been learned. What they take is {@link #bytes()} (the
 * {@code shammah_learned_offheap_bytes} gauge). A scan copies each into an array and scores it as before, so every
 * score is the same to the bit.
 */
final class MeaningIndex {
    /** Vectors in one direct buffer at most: 3 MB of the paired encoders' 768 dimensions. */
    static final int PAGE = 1024;
    /** Vectors copied out of a page at once for a scan: 24 KB of 768 dimensions, within a core's L1 cache. */
    private static final int BLOCK = 8;

    /** A stored prompt near the one searched for: its exchange and their cosine similarity. */
    record Neighbour(String exchangeId, double cosine) {
    }

    /**
     * One scope's prompts: ids on the heap, vectors outside it, the {@code i}-th in page {@code i / PAGE} at slot
     * {@code i % PAGE}. Only the first page grows (by doubling, up to {@link #PAGE}); the others are whole pages.
     * Removal moves the last one into the gap.
     */
    private static final class Scope {
        /** The scope's name, one string for all its prompts ({@link #scopeOf} refers to it). */
        final String key;
        final int dimensions;
        String[] ids = new String[8];
        final List<FloatBuffer> pages = new ArrayList<>();
        int size;

        Scope(String key, int dimensions) {
            this.key = key;
            this.dimensions = dimensions;
        }

        FloatBuffer page(int i) {
            return pages.get(i / PAGE);
        }

        int offset(int i) {
            return i % PAGE * dimensions;
        }

        void append(float[] vector) {
            int page = size / PAGE;
            int slot = size % PAGE;
            if (page == pages.size()) {
                pages.add(allocate(page == 0 ? 1 : PAGE));
            } else if (page == 0 && slot * dimensions == pages.get(0).capacity()) {
                FloatBuffer grown = allocate(Math.min(PAGE, slot * 2));
                grown.put(0, pages.get(0), 0, slot * dimensions);
                pages.set(0, grown);
            }
            pages.get(page).put(slot * dimensions, vector);
            size++;
        }

        /** Moves the last vector into slot {@code i} and lets go of the last; an emptied page is freed. */
        void removeAt(int i) {
            int last = size - 1;
            if (i != last) {
                page(i).put(offset(i), page(last), offset(last), dimensions);
            }
            size--;
            if (size > 0 && size % PAGE == 0) {
                pages.removeLast();
            }
        }

        /**
         * The dot product of {@code a} with the first {@code n} entries of every vector, in filing order. Vectors are
         * copied out {@value #BLOCK} at a time (one bulk copy), then scored by the array's loop ({@link
         * Encoder#dot(float[], float[], int, int)}: the same score to the bit as from arrays on the heap). Read
         * element by element through the buffer, the scan of 1,000 prompts took 1.7 times as long as from arrays.
         */
        double[] dots(float[] a, int n) {
            double[] out = new double[size];
            float[] block = new float[BLOCK * dimensions];
            for (int start = 0; start < size; start += BLOCK) {
                int count = Math.min(BLOCK, Math.min(size - start, PAGE - start % PAGE));
                page(start).get(offset(start), block, 0, count * dimensions);
                for (int j = 0; j < count; j++) {
                    out[start + j] = Encoder.dot(a, block, j * dimensions, n);
                }
            }
            return out;
        }

        long bytes() {
            return pages.stream().mapToLong(p -> (long) p.capacity() * Float.BYTES).sum();
        }

        private FloatBuffer allocate(int vectors) {
            // Native order: read without swapping bytes. Zeroed by the JVM, freed when the buffer is collected.
            return ByteBuffer.allocateDirect(vectors * dimensions * Float.BYTES).order(ByteOrder.nativeOrder())
                    .asFloatBuffer();
        }
    }

    private final Map<String, Scope> scopes = new HashMap<>();
    /** The scope each exchange is filed under. */
    private final Map<String, String> scopeOf = new HashMap<>();
    private int size;

    static String scope(String tenant, String contextKey) {
        return tenant + '\u0000' + contextKey;
    }

    /** Files (or files again) an exchange's prompt vector under its scope. */
    synchronized void add(String scope, String exchangeId, float[] vector) {
        remove(exchangeId);
        Scope s = scopes.computeIfAbsent(scope, k -> new Scope(k, vector.length));
        if (vector.length != s.dimensions) {
            throw new IllegalArgumentException(
                    "A vector of " + vector.length + " dimensions filed among " + s.dimensions);
        }
        if (s.size == s.ids.length) {
            s.ids = Arrays.copyOf(s.ids, s.size * 2);
        }
        s.ids[s.size] = exchangeId;
        s.append(vector);
        scopeOf.put(exchangeId, s.key);
        size++;
    }

    synchronized void remove(String exchangeId) {
        String scope = scopeOf.remove(exchangeId);
        if (scope == null) {
            return;
        }
        Scope s = scopes.get(scope);
        for (int i = 0; i < s.size; i++) {
            if (s.ids[i].equals(exchangeId)) {
                s.ids[i] = s.ids[s.size - 1];
                s.ids[s.size - 1] = null;
                s.removeAt(i);
                size--;
                break;
            }
        }
        if (s.size == 0) {
            scopes.remove(scope);
        }
    }

    /** The {@code k} stored prompts of {@code scope} nearest to {@code vector}, nearest first. */
    synchronized List<Neighbour> nearest(String scope, float[] vector, int k) {
        Scope s = scopes.get(scope);
        if (s == null) {
            return List.of();
        }
        int[] best = new int[Math.min(k, s.size)];
        double[] score = new double[best.length];
        int found = 0;
        double[] dots = s.dots(vector, s.dimensions);
        for (int i = 0; i < s.size; i++) {
            double c = dots[i];
            if (found < best.length) {
                found++;
            } else if (c <= score[found - 1]) {
                continue;
            }
            // Insertion into the short sorted list of the best so far.
            int j = found - 1;
            while (j > 0 && score[j - 1] < c) {
                score[j] = score[j - 1];
                best[j] = best[j - 1];
                j--;
            }
            score[j] = c;
            best[j] = i;
        }
        List<Neighbour> out = new ArrayList<>(found);
        for (int i = 0; i < found; i++) {
            out.add(new Neighbour(s.ids[best[i]], score[i]));
        }
        return out;
    }

    /**
     * The largest dot product of {@code prefix} with the leading {@code prefix.length} entries of any vector filed
     * under {@code scope}, or -1 when none is: half a scan, for a bound on how near the nearest can be by one of
     * the paired encoders alone ({@link dev.shammah.local.PairedEncoder#firstCosine}).
     */
    synchronized double bestPrefix(String scope, float[] prefix) {
        Scope s = scopes.get(scope);
        double best = -1;
        if (s != null) {
            for (double d : s.dots(prefix, prefix.length)) {
                best = Math.max(best, d);
            }
        }
        return best;
    }

    synchronized int size() {
        return size;
    }

    /** The bytes the filed vectors take, outside the heap (summed when asked: a gauge's scrape, now and then). */
    synchronized long bytes() {
        return scopes.values().stream().mapToLong(Scope::bytes).sum();
    }
}
