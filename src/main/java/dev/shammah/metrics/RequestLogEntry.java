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
 * @param route        {@code forward}, {@code local} or {@code rejected}
 * @param stream       whether the client asked for SSE
 * @param status       HTTP status returned to the client
 * @param latencyMs    total time in Shammah
 * @param upstreamMs   time waiting on the upstream, or -1 when it was not called
 * @param inputTokens  upstream usage, or -1 when unknown
 * @param outputTokens upstream usage, or -1 when unknown
 * @param error        for refused requests, why (our own validation message, never request text); else null
 * @param reason       why the router chose the route ({@code same}, {@code wrapped}, {@code unproven}, …), or null
 * @param match        how the stored answer matched ({@code same} or {@code wrapped}), or null without one
 * @param wrongRate    the router's estimated chance that the stored answer is wrong for this request, or -1
 * @param promptText   the prompt itself, only with {@code log.store-text: true}; else null
 */
public record RequestLogEntry(Instant timestamp, String requestId, String sessionId, String promptSha256,
                              String model, String route, boolean stream, int status, long latencyMs,
                              long upstreamMs, long inputTokens, long outputTokens, String error, String reason,
                              String match, double wrongRate, String promptText) implements LogLine {
    @Override
    public String toJson() {
        JsonLine line = new JsonLine()
                .add("timestamp", timestamp.toString())
                .add("request_id", requestId)
                .nullable("session_id", sessionId)
                .nullable("prompt_sha256", promptSha256)
                .add("model", model == null ? "" : model)
                .add("route", route)
                .add("stream", stream)
                .add("status", status)
                .add("latency_ms", latencyMs)
                .optional("upstream_ms", upstreamMs)
                .optional("input_tokens", inputTokens)
                .optional("output_tokens", outputTokens)
                .ifPresent("reason", reason)
                .ifPresent("match", match);
        if (wrongRate >= 0) {
            line.add("wrong_rate", Math.round(wrongRate * 1e6) / 1e6);
        }
        return line.ifPresent("error", error).ifPresent("prompt_text", promptText).text();
    }
}
