package dev.shammah.engine;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * A local input-token estimate for {@code count_tokens} when no upstream can count: about four characters of
 * English per token (Anthropic's own rule of thumb), plus a few tokens of framing per message, tool
 * definitions counted by their JSON text, and images at Anthropic's ceiling of ~1,600 tokens each (their
 * size is unknown here). Good for budgeting, not billing.
 */
public final class TokenEstimator {
    static final int CHARS_PER_TOKEN = 4;
    static final int PER_MESSAGE = 4;
    static final int PER_IMAGE = 1600;

    private TokenEstimator() {
    }

    public static long estimate(JsonObject request) {
        long chars = 0;
        long extra = 3;
        JsonValue system = request.get("system");
        if (system != null) {
            chars += textLength(system);
        }
        JsonValue tools = request.get("tools");
        if (tools instanceof JsonArray t) {
            chars += t.toString().length();
        }
        if (request.get("messages") instanceof JsonArray messages) {
            for (JsonValue m : messages) {
                extra += PER_MESSAGE;
                if (m instanceof JsonObject message) {
                    JsonValue content = message.get("content");
                    chars += textLength(content);
                    extra += images(content) * PER_IMAGE;
                }
            }
        }
        return extra + (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
    }

    private static long textLength(JsonValue v) {
        if (v instanceof JsonString s) {
            return s.getString().length();
        }
        long n = 0;
        if (v instanceof JsonArray blocks) {
            for (JsonValue b : blocks) {
                if (b instanceof JsonObject block) {
                    switch (block.getString("type", "")) {
                        case "text" -> n += block.getString("text", "").length();
                        case "image", "document" -> {
                            // counted per item below
                        }
                        default -> n += block.toString().length();
                    }
                }
            }
        }
        return n;
    }

    private static long images(JsonValue content) {
        long n = 0;
        if (content instanceof JsonArray blocks) {
            for (JsonValue b : blocks) {
                if (b instanceof JsonObject block && ("image".equals(block.getString("type", ""))
                        || "document".equals(block.getString("type", "")))) {
                    n++;
                }
            }
        }
        return n;
    }
}
