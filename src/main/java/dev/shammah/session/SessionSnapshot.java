package dev.shammah.session;

import java.time.Instant;

/** A consistent read of a session's metadata, for {@code GET /v1/session/{id}} and the REPL's /session. */
public record SessionSnapshot(String id, Instant createdAt, Instant lastActivity, int messageCount, int turns,
                              long inputTokens, long outputTokens) {
}
