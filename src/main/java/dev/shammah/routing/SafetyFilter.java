package dev.shammah.routing;

import java.util.List;
import java.util.Locale;

import dev.shammah.local.Encoder;

/**
 * Requests about safety and crises always go to the teacher, never to a cached or small model: matched by
 * configured keywords, or by embedding closeness to configured example requests.
 */
public final class SafetyFilter {
    private final List<String> keywords;
    private final List<float[]> examples;
    private final double threshold;

    public SafetyFilter(List<String> keywords, List<String> examples, double threshold, Encoder encoder) {
        this.keywords = keywords.stream().map(k -> k.toLowerCase(Locale.ROOT)).toList();
        this.examples = examples.stream().map(encoder::embed).toList();
        this.threshold = threshold;
    }

    /** Keywords first; the embedding is only computed when no keyword decided it. */
    public boolean sensitive(String text, java.util.function.Supplier<float[]> embed) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (String k : keywords) {
            if (lower.contains(k)) {
                return true;
            }
        }
        if (examples.isEmpty()) {
            return false;
        }
        float[] embedding = embed.get();
        for (float[] e : examples) {
            if (Encoder.cosine(e, embedding) >= threshold) {
                return true;
            }
        }
        return false;
    }
}
