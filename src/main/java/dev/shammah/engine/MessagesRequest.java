package dev.shammah.engine;

import java.util.List;
import java.util.Set;

import dev.shammah.errors.ShammahException;
import dev.shammah.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * A checked Messages API request. {@link #body()} is the client's JSON minus Shammah's own {@code session_id}
 * field, kept whole so every field the upstream knows (and ones we have never heard of) is forwarded.
 *
 * @param model     requested model
 * @param maxTokens requested max_tokens
 * @param stream    whether the client asked for SSE
 * @param sessionId Shammah session id, or null
 * @param messages  the request's messages
 * @param body      the request to forward
 */
public record MessagesRequest(String model, int maxTokens, boolean stream, String sessionId,
                              List<JsonObject> messages, JsonObject body) {
    /**
     * Roles the Messages API accepts. "system" inside {@code messages} is newer than the top-level
     * {@code system} field; Claude Code sends it, so refusing it breaks real clients.
     */
    private static final Set<String> ROLES = Set.of("user", "assistant", "system");

    /**
     * Validates a parsed request body. Checks what Shammah relies on plus the common type mistakes, with
     * messages that name the field the way Anthropic's do ({@code messages.0.role: …}).
     */
    public static MessagesRequest parse(JsonObject json) {
        return parse(json, Limits.NONE);
    }

    /**
     * Request-size limits beyond the body size.
     *
     * @param maxMessages        most messages
     * @param maxContentBlocks   most content blocks over all messages
     * @param maxTokensRequested largest max_tokens
     */
    public record Limits(int maxMessages, int maxContentBlocks, int maxTokensRequested) {
        public static final Limits NONE = new Limits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    /** Validates a parsed request body against the server's limits. */
    public static MessagesRequest parse(JsonObject json, Limits limits) {
        String model = requiredString(json, "model");
        if (model.isBlank()) {
            throw ShammahException.invalid("model: must not be empty");
        }
        JsonValue mt = json.get("max_tokens");
        if (mt == null) {
            throw ShammahException.invalid("max_tokens: Field required");
        }
        if (!(mt instanceof JsonNumber n) || !n.isIntegral()) {
            throw ShammahException.invalid("max_tokens: Input should be a valid integer");
        }
        if (n.bigIntegerValue().signum() <= 0 || n.bigIntegerValue().bitLength() > 31) {
            throw ShammahException.invalid("max_tokens: Input should be an integer from 1 to 2147483647");
        }
        if (n.intValue() > limits.maxTokensRequested()) {
            throw ShammahException.invalid("max_tokens: " + n.intValue() + " is above this server's limit of "
                    + limits.maxTokensRequested() + " (server.max-tokens-requested)");
        }
        boolean stream = optionalBoolean(json, "stream");
        String sessionId = null;
        if (json.containsKey("session_id") && json.get("session_id") != JsonValue.NULL) {
            if (!(json.get("session_id") instanceof JsonString s)) {
                throw ShammahException.invalid("session_id: Input should be a valid string");
            }
            sessionId = s.getString();
        }
        List<JsonObject> messages = messages(json, limits);
        checkOptionalTypes(json);
        JsonObject forwarded = json.containsKey("session_id")
                ? Json.createObjectBuilder(json).remove("session_id").build()
                : json;
        return new MessagesRequest(model, n.intValue(), stream, sessionId, messages, forwarded);
    }

    /**
     * Validates a {@code count_tokens} body: a Messages request without {@code max_tokens} (and without a
     * session), checked as strictly as {@link #parse} checks everything else.
     */
    public static void checkCount(JsonObject json, Limits limits) {
        String model = requiredString(json, "model");
        if (model.isBlank()) {
            throw ShammahException.invalid("model: must not be empty");
        }
        messages(json, limits);
        checkOptionalTypes(json);
    }

    private static List<JsonObject> messages(JsonObject json, Limits limits) {
        JsonValue v = json.get("messages");
        if (v == null) {
            throw ShammahException.invalid("messages: Field required");
        }
        if (!(v instanceof JsonArray array)) {
            throw ShammahException.invalid("messages: Input should be a valid list");
        }
        if (array.isEmpty()) {
            throw ShammahException.invalid("messages: at least one message is required");
        }
        if (array.size() > limits.maxMessages()) {
            throw ShammahException.invalid("messages: " + array.size() + " messages is above this server's limit of "
                    + limits.maxMessages() + " (server.max-messages)");
        }
        long blocks = 0;
        for (int i = 0; i < array.size(); i++) {
            String at = "messages." + i;
            if (!(array.get(i) instanceof JsonObject m)) {
                throw ShammahException.invalid(at + ": Input should be an object");
            }
            JsonValue role = m.get("role");
            if (!(role instanceof JsonString r) || !ROLES.contains(r.getString())) {
                throw ShammahException.invalid(at + ".role: Input should be 'user', 'assistant' or 'system'");
            }
            JsonValue content = m.get("content");
            if (content == null) {
                throw ShammahException.invalid(at + ".content: Field required");
            }
            if (content instanceof JsonArray list) {
                blocks += list.size();
                if (blocks > limits.maxContentBlocks()) {
                    throw ShammahException.invalid("messages: more than " + limits.maxContentBlocks()
                            + " content blocks (server.max-content-blocks)");
                }
                JsonArray blocksOf = list;
                for (int j = 0; j < blocksOf.size(); j++) {
                    if (!(blocksOf.get(j) instanceof JsonObject block)
                            || !(block.get("type") instanceof JsonString)) {
                        throw ShammahException.invalid(at + ".content." + j
                                + ": Input should be a content block object with a string 'type'");
                    }
                }
            } else if (!(content instanceof JsonString)) {
                throw ShammahException.invalid(at + ".content: Input should be a string or a list of content blocks");
            }
        }
        return array.getValuesAs(JsonObject.class);
    }

    private static void checkOptionalTypes(JsonObject json) {
        JsonValue system = json.get("system");
        if (system != null && !(system instanceof JsonString) && !(system instanceof JsonArray)) {
            throw ShammahException.invalid("system: Input should be a string or a list of text blocks");
        }
        for (String field : List.of("temperature", "top_p")) {
            JsonValue v = json.get(field);
            if (v != null && !(v instanceof JsonNumber)) {
                throw ShammahException.invalid(field + ": Input should be a valid number");
            }
        }
        JsonValue topK = json.get("top_k");
        if (topK != null && !(topK instanceof JsonNumber k && k.isIntegral())) {
            throw ShammahException.invalid("top_k: Input should be a valid integer");
        }
        JsonValue stops = json.get("stop_sequences");
        if (stops != null && !(stops instanceof JsonArray a && a.stream().allMatch(s -> s instanceof JsonString))) {
            throw ShammahException.invalid("stop_sequences: Input should be a list of strings");
        }
        JsonValue tools = json.get("tools");
        if (tools != null && !(tools instanceof JsonArray)) {
            throw ShammahException.invalid("tools: Input should be a valid list");
        }
        JsonValue metadata = json.get("metadata");
        if (metadata != null && !(metadata instanceof JsonObject)) {
            throw ShammahException.invalid("metadata: Input should be a valid dictionary");
        }
    }

    private static String requiredString(JsonObject json, String field) {
        JsonValue v = json.get(field);
        if (v == null) {
            throw ShammahException.invalid(field + ": Field required");
        }
        if (!(v instanceof JsonString s)) {
            throw ShammahException.invalid(field + ": Input should be a valid string");
        }
        return s.getString();
    }

    private static boolean optionalBoolean(JsonObject json, String field) {
        JsonValue v = json.get(field);
        if (v == null || v == JsonValue.NULL) {
            return false;
        }
        if (v == JsonValue.TRUE) {
            return true;
        }
        if (v == JsonValue.FALSE) {
            return false;
        }
        throw ShammahException.invalid(field + ": Input should be a valid boolean");
    }
}
