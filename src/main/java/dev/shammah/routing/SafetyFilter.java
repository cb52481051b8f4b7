package dev.shammah.routing;

import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.shammah.local.Encoder;
import dev.shammah.text.Sha256;

/**
 * Requests about safety and crises always go to the teacher, never to a cached or small model: matched by
 * configured keywords, or by embedding closeness to configured example requests. The embedding is only computed
 * for a request about to be answered locally, and once per prompt text: a repeated request — what local answers
 * mostly are — reuses its verdict.
 */
public final class SafetyFilter {
    private static final int REMEMBERED = 10_000;

    private final List<String> keywords;
    private final List<float[]> examples;
    private final double threshold;
    /** Prompt text's SHA-256 → whether it is close to a safety example. */
    private final Cache<String, Boolean> verdicts = Caffeine.newBuilder().executor(Runnable::run).maximumSize(REMEMBERED).build();

    public SafetyFilter(List<String> keywords, List<String> examples, double threshold, Encoder encoder) {
        this.keywords = keywords.stream().map(k -> k.toLowerCase(Locale.ROOT)).toList();
        this.examples = examples.stream().map(encoder::embed).toList();
        this.threshold = threshold;
    }

    /** Whether the text names a safety keyword: a few substring checks. */
    private boolean namesAKeyword(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (String k : keywords) {
            if (lower.contains(k)) {
                return true;
            }
        }
        return false;
    }

    /** Keywords first; the embedding is only computed when no keyword decided it. */
    public boolean sensitive(String text, Supplier<float[]> embed) {
        if (namesAKeyword(text)) {
            return true;
        }
        if (examples.isEmpty()) {
            return false;
        }
        String key = Sha256.hex(text);
        Boolean known = verdicts.getIfPresent(key);
        if (known != null) {
            return known;
        }
        boolean close = closeToAnExample(embed.get());
        verdicts.put(key, close);
        return close;
    }

    private boolean closeToAnExample(float[] embedding) {
        for (float[] e : examples) {
            if (Encoder.cosine(e, embedding) >= threshold) {
                return true;
            }
        }
        return false;
    }
}
