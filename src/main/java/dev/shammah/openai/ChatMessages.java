package dev.shammah.openai;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.shammah.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import static dev.shammah.openai.ChatRequest.invalid;
import static dev.shammah.openai.ChatRequest.string;

/**
 * A Chat Completions request's {@code messages} as Claude's: system and developer messages become the system prompt,
 * user content parts become text and image blocks, assistant tool calls become {@code tool_use} blocks and tool
 * messages {@code tool_result} blocks, and consecutive messages of one role become one turn. Each refusal is a 400
 * naming the message and field ({@code messages[2].content}).
 */
final class ChatMessages {
    private ChatMessages() {
    }

    /** The messages as Claude's turns, and the system and developer messages' text. */
    record Translated(JsonArray turns, List<String> system) {
    }

    static Translated of(JsonObject chat) {
        JsonValue v = chat.get("messages");
        if (v == null) {
            throw invalid("messages", "messages: Field required");
        }
        if (!(v instanceof JsonArray list) || list.isEmpty()) {
            throw invalid("messages", "messages: must be a non-empty array");
        }
        List<String> system = new ArrayList<>();
        Turns turns = new Turns();
        Set<String> calls = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "messages[" + i + "]";
            if (!(list.get(i) instanceof JsonObject m)) {
                throw invalid(at, at + ": must be an object");
            }
            if (!(m.get("role") instanceof JsonString r)) {
                throw invalid(at + ".role", at + ".role: Field required");
            }
            switch (r.getString()) {
                case "system", "developer" -> system.add(text(m.get("content"), at + ".content"));
                case "user" -> turns.add("user", userContent(m.get("content"), at + ".content"));
                case "assistant" -> turns.add("assistant", assistantContent(m, at, calls));
                case "tool" -> turns.add("user", toolResult(m, at, calls));
                case "function" -> throw invalid(at + ".role", at + ".role: 'function' messages belong to the "
                        + "deprecated functions API; use tool messages");
                default -> throw invalid(at + ".role", at + ".role: must be one of 'system', 'developer', 'user', "
                        + "'assistant', 'tool'");
            }
        }
        if (turns.isEmpty()) {
            throw invalid("messages", "messages: at least one user or assistant message is required");
        }
        return new Translated(turns.build(), system);
    }

    /** Claude's turns: consecutive messages of one role (several tool results, say) become one turn. */
    private static final class Turns {
        private final List<String> roles = new ArrayList<>();
        private final List<JsonArrayBuilder> blocks = new ArrayList<>();
        private final List<JsonValue> plain = new ArrayList<>();

        void add(String role, JsonValue content) {
            if (!roles.isEmpty() && roles.getLast().equals(role)) {
                int last = roles.size() - 1;
                if (blocks.get(last) == null) {
                    blocks.set(last, asBlocks(plain.get(last)));
                    plain.set(last, null);
                }
                asBlocks(content).build().forEach(blocks.get(last)::add);
                return;
            }
            roles.add(role);
            blocks.add(null);
            plain.add(content);
        }

        private static JsonArrayBuilder asBlocks(JsonValue content) {
            if (content instanceof JsonString s) {
                return Json.createArrayBuilder().add(Json.createObjectBuilder().add("type", "text")
                        .add("text", s.getString()));
            }
            return Json.createArrayBuilder((JsonArray) content);
        }

        boolean isEmpty() {
            return roles.isEmpty();
        }

        JsonArray build() {
            JsonArrayBuilder out = Json.createArrayBuilder();
            for (int i = 0; i < roles.size(); i++) {
                out.add(Json.createObjectBuilder().add("role", roles.get(i))
                        .add("content", blocks.get(i) != null ? blocks.get(i).build() : plain.get(i)));
            }
            return out.build();
        }
    }

    /** A user message's content: a string stays a string; parts become text and image blocks. */
    private static JsonValue userContent(JsonValue content, String at) {
        if (content instanceof JsonString) {
            return content;
        }
        if (!(content instanceof JsonArray parts) || parts.isEmpty()) {
            throw invalid(at, at + ": must be a string or a non-empty array of content parts");
        }
        JsonArrayBuilder blocks = Json.createArrayBuilder();
        for (int j = 0; j < parts.size(); j++) {
            String pat = at + "[" + j + "]";
            if (!(parts.get(j) instanceof JsonObject part) || !(part.get("type") instanceof JsonString type)) {
                throw invalid(pat, pat + ": must be a content part with a string 'type'");
            }
            switch (type.getString()) {
                case "text" -> blocks.add(Json.createObjectBuilder().add("type", "text")
                        .add("text", string(part, "text", pat + ".text")));
                case "image_url" -> blocks.add(image(part.get("image_url"), pat + ".image_url"));
                default -> throw invalid(pat + ".type", pat + ".type: '" + type.getString() + "' parts are not "
                        + "supported (text and image_url are)");
            }
        }
        return blocks.build();
    }

    /** A data URL becomes a base64 image block; Shammah fetches nothing, so a remote URL is refused. */
    private static JsonObject image(JsonValue v, String at) {
        if (!(v instanceof JsonObject o) || !(o.get("url") instanceof JsonString u)) {
            throw invalid(at + ".url", at + ".url: Field required");
        }
        String url = u.getString();
        if (!url.startsWith("data:")) {
            throw invalid(at + ".url", at + ".url: only data: URLs (base64 images) are accepted; Shammah does not "
                    + "fetch remote images");
        }
        int comma = url.indexOf(',');
        String head = comma < 0 ? "" : url.substring(5, comma);
        if (comma < 0 || !head.endsWith(";base64") || !head.startsWith("image/")) {
            throw invalid(at + ".url", at + ".url: must be data:image/<type>;base64,<data>");
        }
        return Json.createObjectBuilder().add("type", "image").add("source", Json.createObjectBuilder()
                .add("type", "base64").add("media_type", head.substring(0, head.length() - ";base64".length()))
                .add("data", url.substring(comma + 1))).build();
    }

    /** An assistant message: its text, then its tool calls as tool_use blocks (whose ids later results name). */
    private static JsonValue assistantContent(JsonObject m, String at, Set<String> calls) {
        JsonValue content = m.get("content");
        JsonValue toolCalls = m.get("tool_calls");
        boolean hasCalls = toolCalls instanceof JsonArray a && !a.isEmpty();
        if (!hasCalls && (toolCalls != null && toolCalls != JsonValue.NULL && !(toolCalls instanceof JsonArray))) {
            throw invalid(at + ".tool_calls", at + ".tool_calls: must be an array");
        }
        String text = content == null || content == JsonValue.NULL ? "" : text(content, at + ".content");
        if (!hasCalls) {
            if (content == null || content == JsonValue.NULL) {
                throw invalid(at + ".content", at + ".content: an assistant message needs content or tool_calls");
            }
            return Json.createValue(text);
        }
        JsonArrayBuilder blocks = Json.createArrayBuilder();
        if (!text.isEmpty()) {
            blocks.add(Json.createObjectBuilder().add("type", "text").add("text", text));
        }
        JsonArray list = (JsonArray) toolCalls;
        for (int k = 0; k < list.size(); k++) {
            String cat = at + ".tool_calls[" + k + "]";
            if (!(list.get(k) instanceof JsonObject call)) {
                throw invalid(cat, cat + ": must be an object");
            }
            String id = string(call, "id", cat + ".id");
            if (!(call.get("function") instanceof JsonObject fn)) {
                throw invalid(cat + ".function", cat + ".function: Field required");
            }
            String name = string(fn, "name", cat + ".function.name");
            String args = fn.get("arguments") instanceof JsonString s ? s.getString() : "{}";
            JsonObject input;
            try (var reader = Json.createReader(new StringReader(args.isBlank() ? "{}" : args))) {
                input = reader.readObject();
            } catch (ClassCastException | JsonException e) {
                throw invalid(cat + ".function.arguments", cat + ".function.arguments: must be a JSON object "
                        + "encoded as a string");
            }
            calls.add(id);
            blocks.add(Json.createObjectBuilder().add("type", "tool_use").add("id", id).add("name", name)
                    .add("input", input));
        }
        return blocks.build();
    }

    /** A tool message: a tool_result block for the assistant's call it answers. */
    private static JsonValue toolResult(JsonObject m, String at, Set<String> calls) {
        String id = string(m, "tool_call_id", at + ".tool_call_id");
        if (!calls.contains(id)) {
            throw invalid(at + ".tool_call_id", at + ".tool_call_id: no assistant tool call with id '" + id
                    + "' comes before it");
        }
        return Json.createArrayBuilder().add(Json.createObjectBuilder().add("type", "tool_result")
                .add("tool_use_id", id).add("content", text(m.get("content"), at + ".content"))).build();
    }

    /** A content that may only be text: a string, or text parts (joined by blank lines). */
    private static String text(JsonValue content, String at) {
        if (content instanceof JsonString s) {
            return s.getString();
        }
        if (content instanceof JsonArray parts && !parts.isEmpty()) {
            List<String> texts = new ArrayList<>();
            for (int j = 0; j < parts.size(); j++) {
                String pat = at + "[" + j + "]";
                if (!(parts.get(j) instanceof JsonObject part)
                        || !(part.get("type") instanceof JsonString type)
                        || !(type.getString().equals("text") || type.getString().equals("refusal"))) {
                    throw invalid(pat, pat + ": only text parts are allowed here");
                }
                texts.add(string(part, type.getString(), pat + "." + type.getString()));
            }
            return String.join("\n\n", texts);
        }
        throw invalid(at, at + ": must be a string or a non-empty array of text parts");
    }
}
