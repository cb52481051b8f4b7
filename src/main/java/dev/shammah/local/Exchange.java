package dev.shammah.local;

import java.time.Instant;

/**
 * One forwarded exchange the teacher answered, as the memory keeps it.
 *
 * @param id           stable id
 * @param tenant       whose traffic it was learned from: only that tenant's requests are ever answered with it
 * @param contextKey   hash of everything before the last user turn (system, earlier messages, tool names):
 *                     an answer is only reused in the same context
 * @param prompt       the last user text
 * @param answer       the teacher's content blocks, JSON
 * @param stopReason   the teacher's stop reason
 * @param model        model that answered
 * @param outputTokens the teacher's output tokens (what a local answer saves)
 * @param createdAt    when it was stored
 */
public record Exchange(String id, String tenant, String contextKey, String prompt, String answer, String stopReason,
                       String model, long outputTokens, Instant createdAt) {
}
