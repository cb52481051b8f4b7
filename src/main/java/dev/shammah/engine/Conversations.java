package dev.shammah.engine;

import java.util.List;
import java.util.Set;

import dev.shammah.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * A request's messages against a session's history. A client may resend the whole conversation or only its new
 * turn; both work, because a request that starts with the stored history contributes only what follows it.
 * "Starts with" compares what the messages say, not their exact JSON: an SDK echoing an assistant turn back adds
 * {@code citations: null}, drops a {@code cache_control}, or sends a string where the history has a text block —
 * the same message all the same. Exact comparison would prepend the whole history a second time.
 */
final class Conversations {
    /** Fields that never change what a content block says. */
    private static final Set<String> DECORATION = Set.of("cache_control", "citations");

    private Conversations() {
    }

    /** The request's messages that the session does not already hold. */
    static List<JsonObject> newMessages(List<JsonObject> history, List<JsonObject> requested) {
        if (history.isEmpty() || requested.size() < history.size()) {
            return requested;
        }
        for (int i = 0; i < history.size(); i++) {
            if (!normalise(history.get(i)).equals(normalise(requested.get(i)))) {
                return requested;
            }
        }
        return requested.subList(history.size(), requested.size());
    }

    /** A message as what it says: its role and its content as blocks without decoration or null fields. */
    static JsonObject normalise(JsonObject message) {
        JsonArrayBuilder blocks = Json.createArrayBuilder();
        JsonValue content = message.get("content");
        if (content instanceof JsonString s) {
            blocks.add(Json.createObjectBuilder().add("type", "text").add("text", s.getString()));
        } else if (content instanceof JsonArray a) {
            for (JsonValue v : a) {
                blocks.add(v instanceof JsonObject b ? block(b) : v);
            }
        }
        return Json.createObjectBuilder().add("role", message.getString("role", "")).add("content", blocks).build();
    }

    private static JsonValue block(JsonObject b) {
        JsonObjectBuilder out = Json.createObjectBuilder();
        b.forEach((k, v) -> {
            if (DECORATION.contains(k) || v == JsonValue.NULL) {
                return;
            }
            if (k.equals("content") && "tool_result".equals(b.getString("type", ""))) {
                out.add(k, v instanceof JsonString s ? Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("type", "text").add("text", s.getString())).build() : v);
            } else if (k.equals("is_error") && v == JsonValue.FALSE) {
                return; // the default, said or not
            } else {
                out.add(k, v);
            }
        });
        return out.build();
    }

    static JsonArrayBuilder array(List<JsonObject> messages) {
        JsonArrayBuilder b = Json.createArrayBuilder();
        messages.forEach(b::add);
        return b;
    }
}
