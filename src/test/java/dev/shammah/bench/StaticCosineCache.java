package dev.shammah.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.shammah.local.Encoder;

/**
 * The simplest semantic cache (what GPTCache's, LiteLLM's and most others' semantic caches do), replayed in this
 * process over the product's own encoder: a request is answered with the stored answer of the earlier prompt
 * nearest by cosine if that cosine is at least the threshold; otherwise the teacher answers (here: the line's
 * reference) and the prompt is stored. The bench sends every request with the same tenant and no system prompt,
 * history or tools, so "the same tenant and context" is the whole store. Judged like Shammah, by exact equality.
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
        List<float[]> keys = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        Set<String> asked = new HashSet<>();
        List<KindTable.Outcome> out = new ArrayList<>(lines.size());
        for (Line l : lines) {
            float[] v = vectors.computeIfAbsent(l.prompt(), encoder::embed);
            double best = Double.NEGATIVE_INFINITY;
            int at = -1;
            for (int i = 0; i < keys.size(); i++) {
                double s = Encoder.cosine(v, keys.get(i));
                if (s > best) {
                    best = s;
                    at = i;
                }
            }
            boolean hit = at >= 0 && best >= threshold;
            if (!hit) {
                keys.add(v);
                answers.add(l.reference());
            }
            out.add(new KindTable.Outcome(l.kind(), hit, !hit || answers.get(at).equals(l.reference()),
                    !asked.add(l.prompt())));
        }
        return out;
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
