package dev.shammah.openai;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.shammah.errors.ShammahException;
import dev.shammah.json.Json;
import jakarta.json.JsonArray;
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
        ChatMessages.Translated m = ChatMessages.of(chat);
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
        ChatTools.translate(chat, out);
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

    /** A string field of {@code o}; a 400 naming {@code at} when it is missing or not a string. */
    static String string(JsonObject o, String field, String at) {
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
