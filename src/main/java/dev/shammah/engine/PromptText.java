package dev.shammah.engine;

import java.util.List;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/** The text a person typed last: what the request log hashes and, later, what the router reads. */
public final class PromptText {
    private PromptText() {
    }

    /** Text of the last user message (its text blocks joined by newlines); empty if there is none. */
    public static String lastUserText(List<JsonObject> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonObject m = messages.get(i);
            if ("user".equals(m.getString("role", ""))) {
                return text(m.get("content"));
            }
        }
        return "";
    }

    /** Concatenated text of a message's content: the string itself, or its {@code text} blocks. */
    public static String text(JsonValue content) {
        if (content instanceof JsonString s) {
            return s.getString();
        }
        StringBuilder sb = new StringBuilder();
        if (content instanceof JsonArray blocks) {
            for (JsonValue b : blocks) {
                if (b instanceof JsonObject block && "text".equals(block.getString("type", ""))
                        && block.get("text") instanceof JsonString t) {
                    if (!sb.isEmpty()) {
                        sb.append('\n');
                    }
                    sb.append(t.getString());
                }
            }
        }
        return sb.toString();
    }

    /**
     * The text a local answer would respond to: the last message, if it is a user turn made only of text.
     * Tool results, images and documents need the real model.
     */
    public static String eligible(List<JsonObject> conversation) {
        if (conversation.isEmpty()) {
            return null;
        }
        JsonObject last = conversation.get(conversation.size() - 1);
        if (!"user".equals(last.getString("role", ""))) {
            return null;
        }
        JsonValue content = last.get("content");
        if (content instanceof JsonString s) {
            return s.getString().isBlank() ? null : s.getString();
        }
        if (content instanceof JsonArray blocks) {
            for (JsonValue b : blocks) {
                if (!(b instanceof JsonObject block) || !"text".equals(block.getString("type", ""))) {
                    return null;
                }
            }
            String text = text(content);
            return text.isBlank() ? null : text;
        }
        return null;
    }
}
