package dev.shammah.openai;

import dev.shammah.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import static dev.shammah.openai.ChatRequest.invalid;
import static dev.shammah.openai.ChatRequest.string;

/**
 * A Chat Completions request's tools as Claude's: function tools become Claude tools (their parameters the input
 * schema); {@code tool_choice} and {@code parallel_tool_calls} become Claude's {@code tool_choice}.
 */
final class ChatTools {
    private ChatTools() {
    }

    /** Adds the request's tools and tool choice, translated, to {@code out}. */
    static void translate(JsonObject chat, JsonObjectBuilder out) {
        JsonValue v = chat.get("tools");
        boolean any = false;
        if (v != null && v != JsonValue.NULL) {
            if (!(v instanceof JsonArray list)) {
                throw invalid("tools", "tools: must be an array");
            }
            JsonArrayBuilder tools = Json.createArrayBuilder();
            for (int i = 0; i < list.size(); i++) {
                String at = "tools[" + i + "]";
                if (!(list.get(i) instanceof JsonObject tool) || !(tool.get("type") instanceof JsonString type)
                        || !type.getString().equals("function")) {
                    throw invalid(at + ".type", at + ".type: only 'function' tools are supported");
                }
                if (!(tool.get("function") instanceof JsonObject fn)) {
                    throw invalid(at + ".function", at + ".function: Field required");
                }
                JsonObjectBuilder t = Json.createObjectBuilder().add("name", string(fn, "name", at + ".function.name"));
                if (fn.get("description") instanceof JsonString d) {
                    t.add("description", d);
                }
                JsonValue params = fn.get("parameters");
                t.add("input_schema", params instanceof JsonObject schema ? schema
                        : Json.createObjectBuilder().add("type", "object").add("properties",
                                Json.createObjectBuilder()).build());
                tools.add(t);
                any = true;
            }
            if (any) {
                out.add("tools", tools);
            }
        }
        JsonValue choice = chat.get("tool_choice");
        boolean parallel = chat.get("parallel_tool_calls") != JsonValue.FALSE;
        JsonObjectBuilder c = null;
        if (choice instanceof JsonString s) {
            c = switch (s.getString()) {
                case "auto" -> Json.createObjectBuilder().add("type", "auto");
                case "required" -> Json.createObjectBuilder().add("type", "any");
                case "none" -> Json.createObjectBuilder().add("type", "none");
                default -> throw invalid("tool_choice", "tool_choice: must be none, auto, required or a function");
            };
        } else if (choice instanceof JsonObject o) {
            if (!(o.get("function") instanceof JsonObject fn) || !(fn.get("name") instanceof JsonString name)) {
                throw invalid("tool_choice", "tool_choice: a named choice is {\"type\":\"function\",\"function\":"
                        + "{\"name\":…}}");
            }
            c = Json.createObjectBuilder().add("type", "tool").add("name", name);
        } else if (choice != null && choice != JsonValue.NULL) {
            throw invalid("tool_choice", "tool_choice: must be none, auto, required or a function");
        }
        if (c != null && !any) {
            // OpenAI accepts a choice without tools only as "none"; Claude wants neither then.
            if (!(choice instanceof JsonString s && s.getString().equals("none"))) {
                throw invalid("tool_choice", "tool_choice: needs tools");
            }
            return;
        }
        if (any && !parallel) {
            c = (c == null ? Json.createObjectBuilder().add("type", "auto") : c).add("disable_parallel_tool_use", true);
        }
        if (c != null) {
            out.add("tool_choice", c);
        }
    }
}
