package dev.shammah.learning;

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
 */
final class MeaningIndex {
    /** A stored prompt near the one searched for: its exchange and their cosine similarity. */
    record Neighbour(String exchangeId, double cosine) {
    }

    /** One scope's prompts: parallel arrays, removal by swapping the last one in. */
    private static final class Scope {
        String[] ids = new String[8];
        float[][] vectors = new float[8][];
        int size;
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
        Scope s = scopes.computeIfAbsent(scope, k -> new Scope());
        if (s.size == s.ids.length) {
            s.ids = Arrays.copyOf(s.ids, s.size * 2);
            s.vectors = Arrays.copyOf(s.vectors, s.size * 2);
        }
        s.ids[s.size] = exchangeId;
        s.vectors[s.size] = vector;
        s.size++;
        scopeOf.put(exchangeId, scope);
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
                s.size--;
                s.ids[i] = s.ids[s.size];
                s.vectors[i] = s.vectors[s.size];
                s.ids[s.size] = null;
                s.vectors[s.size] = null;
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
        for (int i = 0; i < s.size; i++) {
            double c = Encoder.cosine(vector, s.vectors[i]);
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
            for (int i = 0; i < s.size; i++) {
                best = Math.max(best, Encoder.dot(prefix, s.vectors[i], prefix.length));
            }
        }
        return best;
    }

    synchronized int size() {
        return size;
    }
}
