package dev.shammah.engine;

import java.util.Map;

import dev.shammah.errors.ShammahException;
import dev.shammah.upstream.ClaudeClient;
import dev.shammah.upstream.ForwardedHeaders;
import dev.shammah.upstream.UpstreamReply;
import io.helidon.http.Method;
import dev.shammah.json.Json;
import jakarta.json.JsonObject;

/**
 * {@code count_tokens}: the upstream's exact count when an upstream is configured and reachable, else a
 * local estimate. Claude Code calls this in bursts, so an unreachable upstream falls back at once instead of
 * failing the call.
 */
public final class TokenCounter {
    public static final String SOURCE_UPSTREAM = "upstream";
    public static final String SOURCE_ESTIMATE = "estimate";

    private final ClaudeClient upstream;

    public TokenCounter(ClaudeClient upstream) {
        this.upstream = upstream;
    }

    /**
     * The count and where it came from.
     *
     * @param status  HTTP status (an upstream 4xx passes through)
     * @param body    {@code {"input_tokens": N}} or the upstream's error
     * @param source  {@link #SOURCE_UPSTREAM} or {@link #SOURCE_ESTIMATE}
     * @param headers upstream headers to pass on
     */
    public record Count(int status, JsonObject body, String source, Map<String, String> headers) {
    }

    public Count count(JsonObject request, ForwardedHeaders headers, String query) {
        if (upstream.canCall(headers)) {
            try {
                UpstreamReply reply = upstream.send(Method.POST, "/v1/messages/count_tokens" + query, request,
                        headers);
                if (reply.status() < 500) {
                    return new Count(reply.status(), reply.json(), SOURCE_UPSTREAM,
                            reply.headers());
                }
            } catch (ShammahException e) {
                // unreachable or timed out: estimate below
            }
        }
        return new Count(200, Json.createObjectBuilder().add("input_tokens", TokenEstimator.estimate(request)).build(),
                SOURCE_ESTIMATE, Map.of());
    }
}
