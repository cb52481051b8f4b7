package dev.shammah.engine;

import java.util.ArrayList;
import java.util.List;

import dev.shammah.local.ChatRequest;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * A Messages request as a generator sees it: text turns (text blocks joined; other blocks have no text form a
 * local model could read), the system prompt, and the sampling parameters with the Messages API's defaults
 * (temperature 1, no top_k, no top_p).
 */
public final class ChatRequests {
    private ChatRequests() {
    }

    public static ChatRequest from(JsonObject body, int maxTokens) {
        List<ChatRequest.Turn> turns = new ArrayList<>();
        JsonArray messages = body.getJsonArray("messages");
        if (messages != null) {
            for (JsonValue v : messages) {
                JsonObject m = v.asJsonObject();
                String role = m.getString("role", "user");
                if (role.equals("system")) {
                    continue;
                }
                turns.add(new ChatRequest.Turn(role, text(m.get("content"))));
            }
        }
        List<String> stops = new ArrayList<>();
        if (body.get("stop_sequences") instanceof JsonArray a) {
            for (JsonValue s : a) {
                if (s instanceof JsonString str) {
                    stops.add(str.getString());
                }
            }
        }
        return new ChatRequest(text(body.get("system")), turns, maxTokens, number(body, "temperature", 1.0),
                (int) number(body, "top_k", 0), number(body, "top_p", 1.0), stops);
    }

    /** The request as the model answers it for evidence and when routed: greedily, so one comparison stands for all. */
    public static ChatRequest greedy(JsonObject outgoing) {
        int maxTokens = outgoing.getInt("max_tokens", 256);
        ChatRequest r = from(outgoing, maxTokens);
        return new ChatRequest(r.system(), r.turns(), maxTokens, 0, 0, 1, r.stopSequences());
    }

    private static double number(JsonObject body, String key, double fallback) {
        return body.get(key) instanceof JsonNumber n ? n.doubleValue() : fallback;
    }

    private static String text(JsonValue content) {
        return content == null ? "" : PromptText.text(content);
    }
}
