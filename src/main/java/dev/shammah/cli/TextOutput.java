package dev.shammah.cli;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/** Turns Messages API bodies into what a person reads in a terminal. */
final class TextOutput {
    private TextOutput() {
    }

    /** The text blocks of a response, joined; tool calls shown as a one-line note. */
    static String answerText(JsonObject response) {
        StringBuilder sb = new StringBuilder();
        JsonArray content = response.getJsonArray("content");
        if (content == null) {
            return "";
        }
        for (JsonValue v : content) {
            if (!(v instanceof JsonObject block)) {
                continue;
            }
            switch (block.getString("type", "")) {
                case "text" -> sb.append(block.getString("text", ""));
                case "tool_use" -> sb.append("\n[tool call: ").append(VisibleText.escape(block.getString("name", "?")))
                        .append(' ').append(VisibleText.escape(String.valueOf(block.get("input")))).append("]\n");
                default -> {
                    // thinking and other blocks are not part of the visible answer
                }
            }
        }
        return sb.toString();
    }

    /** The message of an Anthropic error body, or the body itself if it has another shape. */
    static String errorMessage(JsonObject body) {
        JsonObject error = body.getJsonObject("error");
        if (error != null && error.containsKey("message")) {
            return error.getString("type", "error") + ": " + error.getString("message", "");
        }
        return body.toString();
    }
}
