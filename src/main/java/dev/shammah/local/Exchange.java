package dev.shammah.local;

import java.time.Instant;
import java.util.List;

/**
 * One forwarded exchange the teacher answered, as the memory keeps it.
 *
 * @param id           stable id
 * @param tenant       whose traffic it was learned from: only that tenant's requests are ever answered with it
 * @param contextKey   hash of everything before the last user turn (system, earlier messages, tool names):
 *                     an answer is only reused in the same context
 * @param prompt       the last user text; null where it was not kept (a shared store keeps prompt text only with
 *                     {@code log.store-text})
 * @param answer       the teacher's content blocks, JSON
 * @param stopReason   the teacher's stop reason
 * @param model        model that answered
 * @param outputTokens the teacher's output tokens (what a local answer saves)
 * @param createdAt    when it was stored
 * @param prefixes     courtesy phrases stripped from the prompt's start, outermost first
 * @param suffixes     courtesy phrases stripped from its end, outermost first: with the core a lookup found it by,
 *                     they give back the prompt's canonical form when its text was not kept
 */
public record Exchange(String id, String tenant, String contextKey, String prompt, String answer, String stopReason,
                       String model, long outputTokens, Instant createdAt, List<String> prefixes,
                       List<String> suffixes) {
    public Exchange {
        prefixes = List.copyOf(prefixes);
        suffixes = List.copyOf(suffixes);
    }

    /** An exchange whose prompt text is kept (its wrappers are read from it when needed). */
    public Exchange(String id, String tenant, String contextKey, String prompt, String answer, String stopReason,
                    String model, long outputTokens, Instant createdAt) {
        this(id, tenant, contextKey, prompt, answer, stopReason, model, outputTokens, createdAt, List.of(), List.of());
    }

    /** The same exchange without its prompt text. */
    public Exchange withoutPrompt() {
        return new Exchange(id, tenant, contextKey, null, answer, stopReason, model, outputTokens, createdAt, prefixes,
                suffixes);
    }
}
