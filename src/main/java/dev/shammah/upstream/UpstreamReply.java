package dev.shammah.upstream;

import java.time.Duration;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.shammah.errors.ErrorType;
import dev.shammah.errors.ShammahException;
import dev.shammah.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;

/**
 * What the upstream answered.
 *
 * @param status  HTTP status
 * @param body    the raw body
 * @param headers response headers a client should see (request-id, retry-after, rate-limit headers)
 * @param latency time from sending to having the whole body
 */
public record UpstreamReply(int status, byte[] body, Map<String, String> headers, Duration latency) {
    public UpstreamReply {
        headers = Map.copyOf(headers);
    }

    /**
     * The body as a JSON object. A non-JSON error body (an HTML page from a proxy in front of the upstream)
     * keeps its status and becomes an Anthropic-shaped error a client can parse.
     *
     * @throws ShammahException 502 for a successful status whose body is not a JSON object
     */
    public JsonObject json() {
        String text = new String(body, StandardCharsets.UTF_8);
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            JsonValue value = reader.readValue();
            if (value instanceof JsonObject object) {
                return object;
            }
        } catch (JsonParsingException | IllegalStateException e) {
            // fall through: not JSON
        }
        if (status >= 400) {
            ErrorType type = ErrorType.forStatus(status);
            return Json.createObjectBuilder()
                    .add("type", "error")
                    .add("error", Json.createObjectBuilder()
                            .add("type", type.wireName())
                            .add("message", "Upstream returned HTTP " + status + ": " + abbreviate(text)))
                    .build();
        }
        throw new ShammahException(ErrorType.BAD_GATEWAY, "Upstream returned HTTP " + status
                + " with a body that is not a JSON object: " + abbreviate(text));
    }

    private static String abbreviate(String text) {
        String oneLine = text.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "…";
    }
}
