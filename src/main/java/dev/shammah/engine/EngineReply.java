package dev.shammah.engine;

import java.util.Map;

import jakarta.json.JsonObject;

/**
 * The answer to a {@link Turn}: a Messages API response (or the upstream's error) to hand to the client.
 *
 * @param status    HTTP status
 * @param body      response JSON; on success it carries {@code session_id}
 * @param sessionId the session the turn was recorded in
 * @param headers   extra headers to return (upstream request id, retry-after, …)
 */
public record EngineReply(int status, JsonObject body, String sessionId, Map<String, String> headers) {
    public EngineReply {
        headers = Map.copyOf(headers);
    }

    public boolean ok() {
        return status >= 200 && status < 300;
    }
}
