package dev.shammah.openai;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.shammah.errors.ShammahException;
import dev.shammah.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * An OpenAI Chat Completions request, translated into the Claude Messages request Shammah answers (docs/CLIENTS.md
 * has the table of every parameter). What cannot be translated faithfully is refused with a 400 naming the
 * parameter, in OpenAI's words where it has them ({@code Unrecognized request argument supplied: …}); what OpenAI
 * defines but Claude has no use for is ignored, as listed in {@link #IGNORED}.
 *
 * @param body         the Messages request
 * @param includeUsage {@code stream_options.include_usage}: a streamed answer ends with a usage chunk
 */
public record ChatRequest(JsonObject body, boolean includeUsage) {
    /** What an OpenAI client gets when it sends no {@code max_tokens}: Claude requires one. */
    public static final int DEFAULT_MAX_TOKENS = 4096;

    /** OpenAI parameters accepted and dropped: they tune what Claude does not have (docs/CLIENTS.md says each). */
    static final Set<String> IGNORED = Set.of("seed", "logit_bias", "presence_penalty", "frequency_penalty",
            "service_tier", "store", "metadata", "prediction", "reasoning_effort", "top_logprobs", "verbosity",
            "prompt_cache_key", "safety_identifier");
    /** OpenAI parameters translated (or checked) below. */
    private static final Set<String> KNOWN = Set.of("model", "messages", "max_tokens", "max_completion_tokens",
            "temperature", "top_p", "stop", "stream", "stream_options", "tools", "tool_choice", "parallel_tool_calls",
            "response_format", "n", "logprobs", "user", "modalities", "audio", "functions", "function_call",
            "web_search_options", "session_id");

    /**
     * @param chat      the client's body
     * @param maxTokens the largest {@code max_tokens} this server takes: the default is at most that
     * @throws ShammahException 400 for what cannot be translated
     */
    public static ChatRequest translate(JsonObject chat, int maxTokens) {
        for (String field : chat.keySet()) {
            if (!KNOWN.contains(field) && !IGNORED.contains(field)) {
                throw invalid(field, "Unrecognized request argument supplied: " + field);
            }
        }
        refuseUnsupported(chat);
        JsonObjectBuilder out = Json.createObjectBuilder();
        out.add("model", string(chat, "model", "model"));
        out.add("max_tokens", maxTokens(chat, maxTokens));
        Messages m = messages(chat);
        String system = system(m.system(), responseFormat(chat.get("response_format")));
        if (!system.isEmpty()) {
            out.add("system", system);
        }
        out.add("messages", m.turns());
        JsonValue t = chat.get("temperature");
        if (t != null && t != JsonValue.NULL) {
            double temperature = number(t, "temperature");
            if (temperature < 0 || temperature > 2) {
                throw invalid("temperature", "temperature: must be from 0 to 2");
            }
            // OpenAI's scale runs to 2, Claude's to 1: above 1 is as random as Claude goes.
            out.add("temperature", Math.min(1.0, temperature));
        }
        JsonValue p = chat.get("top_p");
        if (p != null && p != JsonValue.NULL) {
            out.add("top_p", number(p, "top_p"));
        }
        JsonArray stops = stops(chat.get("stop"));
        if (stops != null) {
            out.add("stop_sequences", stops);
        }
        boolean stream = bool(chat, "stream");
        if (stream) {
            out.add("stream", true);
        }
        boolean includeUsage = false;
        JsonValue so = chat.get("stream_options");
        if (so != null && so != JsonValue.NULL) {
            if (!(so instanceof JsonObject o)) {
                throw invalid("stream_options", "stream_options: must be an object");
            }
            if (!stream) {
                throw invalid("stream_options", "stream_options: only allowed when stream is true");
            }
            includeUsage = bool(o, "include_usage");
        }
        tools(chat, out);
        JsonValue user = chat.get("user");
        if (user instanceof JsonString u && !u.getString().isEmpty()) {
            out.add("metadata", Json.createObjectBuilder().add("user_id", u.getString()));
        } else if (user != null && user != JsonValue.NULL && !(user instanceof JsonString)) {
            throw invalid("user", "user: must be a string");
        }
        JsonValue session = chat.get("session_id");
        if (session != null) {
            out.add("session_id", session);
        }
        return new ChatRequest(out.build(), includeUsage);
    }

    private static void refuseUnsupported(JsonObject chat) {
        JsonValue n = chat.get("n");
        if (n != null && n != JsonValue.NULL && !(n instanceof JsonNumber k && k.isIntegral() && k.intValue() == 1)) {
            throw invalid("n", "n: only 1 is supported (Claude gives one answer per request)");
        }
        if (chat.get("logprobs") == JsonValue.TRUE) {
            throw invalid("logprobs", "logprobs: not supported (Claude does not return token log probabilities)");
        }
        if (chat.get("audio") != null && chat.get("audio") != JsonValue.NULL) {
            throw invalid("audio", "audio: audio output is not supported");
        }
        if (chat.get("modalities") instanceof JsonArray mods) {
            for (JsonValue v : mods) {
                if (!(v instanceof JsonString s && s.getString().equals("text"))) {
                    throw invalid("modalities", "modalities: only [\"text\"] is supported");
                }
            }
        }
        for (String legacy : List.of("functions", "function_call")) {
            if (chat.containsKey(legacy)) {
                throw invalid(legacy, legacy + ": the deprecated functions API is not supported; use tools and "
                        + "tool_choice");
            }
        }
        if (chat.containsKey("web_search_options")) {
            throw invalid("web_search_options", "web_search_options: not supported");
        }
    }

    private static int maxTokens(JsonObject chat, int limit) {
        for (String field : List.of("max_completion_tokens", "max_tokens")) {
            JsonValue v = chat.get(field);
            if (v != null && v != JsonValue.NULL) {
                if (!(v instanceof JsonNumber n) || !n.isIntegral() || n.bigIntegerValue().signum() <= 0
                        || n.bigIntegerValue().bitLength() > 31) {
                    throw invalid(field, field + ": must be a positive integer");
                }
                return n.intValue();
            }
        }
        return Math.min(DEFAULT_MAX_TOKENS, limit);
    }

    /** The messages as Claude's turns, and the system and developer messages' text. */
    private record Messages(JsonArray turns, List<String> system) {
    }

    private static Messages messages(JsonObject chat) {
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
        return new Messages(turns.build(), system);
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
            } catch (ClassCastException | jakarta.json.JsonException e) {
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

    /** The system prompt: system and developer messages in order, then what {@code response_format} asks. */
    private static String system(List<String> parts, String format) {
        List<String> all = new ArrayList<>(parts);
        if (format != null) {
            all.add(format);
        }
        return String.join("\n\n", all);
    }

    /**
     * Claude has no JSON mode: {@code json_object} and {@code json_schema} become an instruction in the system
     * prompt (the schema included), which Claude follows but nothing enforces.
     */
    private static String responseFormat(JsonValue v) {
        if (v == null || v == JsonValue.NULL) {
            return null;
        }
        if (!(v instanceof JsonObject o) || !(o.get("type") instanceof JsonString type)) {
            throw invalid("response_format", "response_format: must be an object with a type");
        }
        return switch (type.getString()) {
            case "text" -> null;
            case "json_object" -> "Answer with one JSON object and nothing else: no prose, no code fence.";
            case "json_schema" -> {
                if (!(o.get("json_schema") instanceof JsonObject js) || !(js.get("schema") instanceof JsonObject s)) {
                    throw invalid("response_format.json_schema", "response_format.json_schema.schema: Field "
                            + "required");
                }
                yield "Answer with one JSON value that conforms to this JSON Schema, and nothing else: no prose, no "
                        + "code fence.\n" + s;
            }
            default -> throw invalid("response_format.type", "response_format.type: must be text, json_object or "
                    + "json_schema");
        };
    }

    private static JsonArray stops(JsonValue v) {
        if (v == null || v == JsonValue.NULL) {
            return null;
        }
        if (v instanceof JsonString s) {
            return Json.createArrayBuilder().add(s).build();
        }
        if (v instanceof JsonArray a && a.size() <= 4 && a.stream().allMatch(x -> x instanceof JsonString)) {
            return a;
        }
        throw invalid("stop", "stop: must be a string or an array of up to 4 strings");
    }

    /** Function tools become Claude tools; tool_choice and parallel_tool_calls become Claude's tool_choice. */
    private static void tools(JsonObject chat, JsonObjectBuilder out) {
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

    private static String string(JsonObject o, String field, String at) {
        if (!(o.get(field) instanceof JsonString s)) {
            throw invalid(at, at + (o.containsKey(field) ? ": must be a string" : ": Field required"));
        }
        return s.getString();
    }

    private static double number(JsonValue v, String field) {
        if (!(v instanceof JsonNumber n)) {
            throw invalid(field, field + ": must be a number");
        }
        return n.doubleValue();
    }

    private static boolean bool(JsonObject o, String field) {
        JsonValue v = o.get(field);
        if (v == null || v == JsonValue.NULL || v == JsonValue.FALSE) {
            return false;
        }
        if (v == JsonValue.TRUE) {
            return true;
        }
        throw invalid(field, field + ": must be a boolean");
    }

    /** A 400 whose message starts with the parameter, which {@link OpenAiErrors} turns into {@code param}. */
    static ShammahException invalid(String param, String message) {
        return ShammahException.invalid(message.startsWith(param) ? message : param + ": " + message);
    }
}
