package dev.shammah.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.shammah.learning.RewordGuard;
import dev.shammah.local.Encoder;

/**
 * The simplest semantic cache (what GPTCache's, LiteLLM's and most others' semantic caches do), replayed in this
 * process over the product's own encoder: a request is answered with the stored answer of the earlier prompt
 * nearest by cosine if that cosine is at least the threshold; otherwise the teacher answers (here: the line's
 * reference) and the prompt is stored. The bench sends every request with the same tenant and no system prompt,
 * history or tools, so "the same tenant and context" is the whole store. Judged like Shammah, by exact equality.
 *
 * <p>The <em>guarded</em> variant adds Shammah's own vetoes to the threshold — the {@link RewordGuard} on the pair
 * and the ambiguity check (no stored prompt with another answer within 0.02 of the nearest) — but no evidence: the
 * best a fixed threshold can do with the same representation and rules, the ceiling Shammah's learned bound is
 * read against.
 */
final class StaticCosineCache {
    /** One workload line as the cache needs it. */
    record Line(String prompt, String reference, String kind) {
    }

    private StaticCosineCache() {
    }

    /**
     * @param vectors embeddings already computed, by prompt text (the same prompts recur across thresholds)
     */
    static List<KindTable.Outcome> replay(List<Line> lines, Encoder encoder, double threshold,
                                          Map<String, float[]> vectors) {
        return replay(lines, encoder, threshold, vectors, null);
    }

    /** @param guard Shammah's guard and ambiguity check on top of the threshold; null for the plain cache */
    static List<KindTable.Outcome> replay(List<Line> lines, Encoder encoder, double threshold,
                                          Map<String, float[]> vectors, RewordGuard guard) {
        return run(lines, encoder, vectors, (l, v, store) -> {
            double best = Double.NEGATIVE_INFINITY;
            int at = -1;
            for (int i = 0; i < store.keys().size(); i++) {
                double s = Encoder.cosine(v, store.keys().get(i));
                if (s > best) {
                    best = s;
                    at = i;
                }
            }
            boolean hit = at >= 0 && best >= threshold;
            if (hit && guard != null && !store.prompts().get(at).equals(l.prompt())) {
                hit = guard.check(store.prompts().get(at), l.prompt()).pass()
                        && !ambiguous(v, store.keys(), store.answers(), at, best);
            }
            return hit ? at : -1;
        });
    }

    /**
     * The ceiling at a threshold: a request is answered locally when <em>any</em> stored prompt at cosine
     * {@code threshold} or more has its reference for an answer — a perfect judge of "the same question" among the
     * neighbours this encoder finds, what no rule or evidence over the same vectors can exceed at that floor. Never
     * wrong, by construction; stored as the cache above stores (what it did not answer).
     */
    static List<KindTable.Outcome> ceiling(List<Line> lines, Encoder encoder, double threshold,
                                           Map<String, float[]> vectors) {
        return run(lines, encoder, vectors, (l, v, store) -> {
            for (int i = 0; i < store.keys().size(); i++) {
                if (store.answers().get(i).equals(l.reference()) && Encoder.cosine(v, store.keys().get(i)) >= threshold) {
                    return i;
                }
            }
            return -1;
        });
    }

    /** What a cache holds: the prompts it stored (what it did not answer), their vectors and answers, in order. */
    private record Store(List<String> prompts, List<float[]> keys, List<String> answers) {
    }

    /** Which stored entry answers a request, or -1 to ask the teacher (and store the request). */
    private interface Lookup {
        int answer(Line line, float[] vector, Store store);
    }

    private static List<KindTable.Outcome> run(List<Line> lines, Encoder encoder, Map<String, float[]> vectors,
                                               Lookup lookup) {
        Store store = new Store(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        Set<String> asked = new HashSet<>();
        List<KindTable.Outcome> out = new ArrayList<>(lines.size());
        for (Line l : lines) {
            float[] v = vectors.computeIfAbsent(l.prompt(), encoder::embed);
            int at = lookup.answer(l, v, store);
            if (at < 0) {
                store.prompts().add(l.prompt());
                store.keys().add(v);
                store.answers().add(l.reference());
            }
            out.add(new KindTable.Outcome(l.kind(), at >= 0, at < 0 || store.answers().get(at).equals(l.reference()),
                    !asked.add(l.prompt())));
        }
        return out;
    }

    private static boolean ambiguous(float[] v, List<float[]> keys, List<String> answers, int at, double best) {
        for (int i = 0; i < keys.size(); i++) {
            if (i != at && !answers.get(i).equals(answers.get(at)) && Encoder.cosine(v, keys.get(i)) >= best - 0.02) {
                return true;
            }
        }
        return false;
    }

    /** For the report: the cache's tables at each threshold, computed once per distinct prompt. */
    static Map<Double, List<KindTable.Outcome>> replays(List<Line> lines, Encoder encoder, double... thresholds) {
        Map<String, float[]> vectors = new HashMap<>();
        Map<Double, List<KindTable.Outcome>> out = new java.util.LinkedHashMap<>();
        for (double t : thresholds) {
            out.put(t, replay(lines, encoder, t, vectors));
        }
        return out;
    }
}
