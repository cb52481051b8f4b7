package dev.shammah.openai;

import dev.shammah.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * A Claude message as OpenAI's {@code chat.completion}: its text as {@code choices[0].message.content}, its
 * tool_use blocks as {@code tool_calls} (arguments as a JSON string), the stop reason as {@code finish_reason} and
 * the usage in OpenAI's names. Thinking blocks have no place in the OpenAI shape and are left out.
 */
public final class ChatResponse {
    private ChatResponse() {
    }

    /**
     * @param message the Messages API response
     * @param model   the model the client asked for, when the message names none
     * @param created seconds since the epoch
     */
    public static JsonObject of(JsonObject message, String model, long created) {
        StringBuilder text = new StringBuilder();
        JsonArrayBuilder calls = Json.createArrayBuilder();
        boolean anyCall = false;
        if (message.get("content") instanceof JsonArray blocks) {
            for (JsonValue v : blocks) {
                if (!(v instanceof JsonObject b)) {
                    continue;
                }
                switch (b.getString("type", "")) {
                    case "text" -> text.append(b.getString("text", ""));
                    case "tool_use" -> {
                        calls.add(Json.createObjectBuilder().add("id", b.getString("id", ""))
                                .add("type", "function").add("function", Json.createObjectBuilder()
                                        .add("name", b.getString("name", ""))
                                        .add("arguments", String.valueOf(b.getOrDefault("input",
                                                JsonValue.EMPTY_JSON_OBJECT)))));
                        anyCall = true;
                    }
                    default -> {
                        // thinking, redacted_thinking, server tools' blocks: not part of OpenAI's message
                    }
                }
            }
        }
        JsonObjectBuilder msg = Json.createObjectBuilder().add("role", "assistant");
        if (text.isEmpty() && anyCall) {
            msg.addNull("content");
        } else {
            msg.add("content", text.toString());
        }
        if (anyCall) {
            msg.add("tool_calls", calls);
        }
        msg.addNull("refusal");
        return Json.createObjectBuilder()
                .add("id", id(message.getString("id", "")))
                .add("object", "chat.completion")
                .add("created", created)
                .add("model", message.getString("model", model))
                .add("choices", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("index", 0)
                        .add("message", msg)
                        .addNull("logprobs")
                        .add("finish_reason", finishReason(stopReason(message)))))
                .add("usage", usage(message.get("usage")))
                .build();
    }

    private static String stopReason(JsonObject message) {
        return message.get("stop_reason") instanceof JsonString s ? s.getString() : null;
    }

    /** OpenAI's id for a Claude message id: the same id, under OpenAI's prefix. */
    static String id(String messageId) {
        return "chatcmpl-" + (messageId.startsWith("msg_") ? messageId.substring(4) : messageId);
    }

    /** Claude's stop reason in OpenAI's words. */
    public static String finishReason(String stopReason) {
        if (stopReason == null) {
            return "stop";
        }
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            default -> "stop"; // end_turn, stop_sequence, pause_turn
        };
    }

    /** Claude's usage in OpenAI's names: cached and cache-written input count as prompt tokens, as OpenAI's do. */
    static JsonObject usage(JsonValue v) {
        long in = 0;
        long out = 0;
        long cached = 0;
        if (v instanceof JsonObject u) {
            in = number(u, "input_tokens") + number(u, "cache_creation_input_tokens")
                    + number(u, "cache_read_input_tokens");
            cached = number(u, "cache_read_input_tokens");
            out = number(u, "output_tokens");
        }
        return Json.createObjectBuilder().add("prompt_tokens", in).add("completion_tokens", out)
                .add("total_tokens", in + out)
                .add("prompt_tokens_details", Json.createObjectBuilder().add("cached_tokens", cached)).build();
    }

    private static long number(JsonObject o, String field) {
        return o.get(field) instanceof JsonNumber n ? n.longValue() : 0;
    }
}
