package dev.shammah.metrics;

import java.time.Instant;

/**
 * One line of the request log. Carries a hash of the prompt, never the prompt itself.
 *
 * @param timestamp    when the request finished
 * @param requestId    our {@code request-id}
 * @param sessionId    session the turn belongs to (may be null when the request failed before one existed)
 * @param promptSha256 SHA-256 (hex) of the last user text
 * @param model        requested model
 * @param route        {@code forward} (later also {@code local})
 * @param stream       whether the client asked for SSE
 * @param status       HTTP status returned to the client
 * @param latencyMs    total time in Shammah
 * @param upstreamMs   time waiting on the upstream, or -1 when it was not called
 * @param inputTokens  upstream usage, or -1 when unknown
 * @param outputTokens upstream usage, or -1 when unknown
 * @param error        for refused requests, why (our own validation message, never request text); else null
 */
public record RequestLogEntry(Instant timestamp, String requestId, String sessionId, String promptSha256,
                              String model, String route, boolean stream, int status, long latencyMs,
                              long upstreamMs, long inputTokens, long outputTokens, String error) {
}
