package dev.shammah.routing;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.shammah.local.TeacherMemory;
import dev.shammah.text.Sha256;

/**
 * The exact keys a stored exchange is found by. Every key starts from the tenant and the context, so no lookup
 * can ever return another tenant's exchange or one from another conversation.
 */
public final class MemoryKeys {
    private MemoryKeys() {
    }

    public static TeacherMemory.Keys of(String tenant, String contextKey, PromptForm form) {
        return new TeacherMemory.Keys(scope(tenant, contextKey), shape(tenant, contextKey, form),
                core(tenant, contextKey, form.core()), storedSpans(tenant, contextKey, form.core()));
    }

    /**
     * The runs a stored core could share with a request that wraps it, or that it wraps ({@link Equivalence}):
     * the core with up to {@link Equivalence#MAX_WRAPPER} words cut from one end. A stored prompt wrapped at
     * <em>both</em> ends around a shorter request is not found this way (that would take every two-ended cut,
     * five times the keys); the same edit is found the other way round, once the shorter prompt is stored and a
     * request wraps it.
     */
    static List<String> storedSpans(String tenant, String contextKey, List<String> core) {
        String scope = scope(tenant, contextKey);
        Set<String> keys = new LinkedHashSet<>();
        int n = core.size();
        for (int cut = 0; cut <= Equivalence.MAX_WRAPPER && n - cut >= Courtesy.MIN_CORE; cut++) {
            keys.add(span(scope, core.subList(cut, n)));
            keys.add(span(scope, core.subList(0, n - cut)));
        }
        return List.copyOf(keys);
    }

    /**
     * The runs of a request's core that a stored core could share with it: cut at both ends (a request may wrap a
     * stored prompt on both sides), each run at least half the core, as {@link Equivalence} requires. Looked up
     * among stored {@linkplain #storedSpans spans}, they find every stored prompt the request could be a wrapped
     * form of, without searching.
     */
    public static List<String> requestRuns(String tenant, String contextKey, List<String> core) {
        String scope = scope(tenant, contextKey);
        Set<String> keys = new LinkedHashSet<>();
        int n = core.size();
        if (n > Equivalence.MAX_ALIGN) {
            return List.of();
        }
        for (int front = 0; front <= Equivalence.MAX_WRAPPER; front++) {
            for (int back = 0; back <= Equivalence.MAX_WRAPPER; back++) {
                int length = n - front - back;
                if (length < Courtesy.MIN_CORE || 2 * length < n) {
                    break;
                }
                keys.add(span(scope, core.subList(front, n - back)));
            }
        }
        return List.copyOf(keys);
    }

    public static String scope(String tenant, String contextKey) {
        String in = tenant + '\u0000' + contextKey;
        return SCOPES.get(in, Sha256::hex);
    }

    /**
     * Scopes hashed, by their text: a scope is a pure function of it, and every lookup of a request starts from its
     * tenant's and context's, the same few over and over (one per conversation in progress).
     */
    private static final Cache<String, String> SCOPES = Caffeine.newBuilder().executor(Runnable::run).maximumSize(4096).build();

    public static String shape(String tenant, String contextKey, PromptForm form) {
        return Sha256.hex(scope(tenant, contextKey) + "\u0000shape\u0000" + form.text());
    }

    public static String core(String tenant, String contextKey, List<String> core) {
        return coreIn(scope(tenant, contextKey), core);
    }

    private static String coreIn(String scope, List<String> core) {
        return Sha256.hex(scope + "\u0000core\u0000" + PromptForm.join(core));
    }

    /**
     * A run's key: 96 bits of its core key are plenty to find candidates (every one found is aligned with the
     * request before it counts), and an exchange carries up to seventeen of them.
     */
    private static String span(String scope, List<String> run) {
        return coreIn(scope, run).substring(0, 24);
    }

}
