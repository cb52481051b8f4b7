package dev.shammah.openai;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.shammah.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * A Claude event stream, event by event, as OpenAI's {@code chat.completion.chunk} stream: a first chunk with the
 * role, a chunk per text delta, a tool call's id and name when its block starts and its argument deltas under the
 * call's {@code index}, a last chunk with {@code finish_reason}, the usage chunk when the client asked for it
 * ({@code stream_options.include_usage}), then {@code [DONE]}. An error event becomes OpenAI's error payload and
 * ends the stream. Pings and thinking have no OpenAI form and are dropped.
 */
public final class ChunkTranslator {
    /** The payload that ends an OpenAI stream. */
    public static final String DONE = "[DONE]";

    private final String requestedModel;
    private final long created;
    private final boolean includeUsage;
    private String id = "chatcmpl-";
    private String model;
    /** Claude's usage as the stream has told it so far: message_start's, updated by message_delta's. */
    private JsonObject usage = JsonValue.EMPTY_JSON_OBJECT;
    private String stopReason;
    /** Claude's block index of each tool_use block → the call's index among this answer's tool calls. */
    private final Map<Integer, Integer> callIndex = new HashMap<>();

    public ChunkTranslator(String requestedModel, long created, boolean includeUsage) {
        this.requestedModel = requestedModel;
        this.model = requestedModel;
        this.created = created;
        this.includeUsage = includeUsage;
    }

    /** The OpenAI payloads (each one {@code data:} line) for one Claude event; none for some. */
    public List<String> translate(String event, String data) {
        JsonObject d;
        try (var reader = Json.createReader(new StringReader(data))) {
            d = reader.readObject();
        } catch (RuntimeException e) {
            return List.of();
        }
        String type = event.isEmpty() ? d.getString("type", "") : event;
        List<String> out = new ArrayList<>(2);
        switch (type) {
            case "message_start" -> {
                JsonObject m = d.getJsonObject("message");
                if (m != null) {
                    id = ChatResponse.id(m.getString("id", ""));
                    model = m.getString("model", requestedModel);
                    usage(m.get("usage"));
                }
                out.add(chunk(Json.createObjectBuilder().add("role", "assistant").add("content", ""), null));
            }
            case "content_block_start" -> {
                JsonObject b = d.getJsonObject("content_block");
                if (b != null && "tool_use".equals(b.getString("type", ""))) {
                    int index = callIndex.size();
                    callIndex.put(d.getInt("index", 0), index);
                    out.add(chunk(Json.createObjectBuilder().add("tool_calls", Json.createArrayBuilder()
                            .add(Json.createObjectBuilder().add("index", index).add("id", b.getString("id", ""))
                                    .add("type", "function").add("function", Json.createObjectBuilder()
                                            .add("name", b.getString("name", "")).add("arguments", "")))), null));
                }
            }
            case "content_block_delta" -> {
                JsonObject delta = d.getJsonObject("delta");
                String kind = delta == null ? "" : delta.getString("type", "");
                if (kind.equals("text_delta")) {
                    out.add(chunk(Json.createObjectBuilder().add("content", delta.getString("text", "")), null));
                } else if (kind.equals("input_json_delta")) {
                    Integer index = callIndex.get(d.getInt("index", 0));
                    if (index != null) {
                        out.add(chunk(Json.createObjectBuilder().add("tool_calls", Json.createArrayBuilder()
                                .add(Json.createObjectBuilder().add("index", index).add("function",
                                        Json.createObjectBuilder().add("arguments",
                                                delta.getString("partial_json", ""))))), null));
                    }
                }
            }
            case "message_delta" -> {
                if (d.get("delta") instanceof JsonObject delta && delta.get("stop_reason") instanceof
                        JsonString s) {
                    stopReason = s.getString();
                }
                usage(d.get("usage"));
            }
            case "message_stop" -> {
                out.add(chunk(Json.createObjectBuilder(), ChatResponse.finishReason(stopReason)));
                if (includeUsage) {
                    out.add(base().add("choices", Json.createArrayBuilder())
                            .add("usage", ChatResponse.usage(usage)).build().toString());
                }
                out.add(DONE);
            }
            case "error" -> out.add(Json.createObjectBuilder().add("error", OpenAiErrors.error(
                    d.getJsonObject("error") == null ? "api_error" : d.getJsonObject("error").getString("type", ""),
                    d.getJsonObject("error") == null ? "stream failed"
                            : d.getJsonObject("error").getString("message", ""), 500)).build().toString());
            default -> {
                // ping, content_block_stop: nothing to say
            }
        }
        return out;
    }

    /**
     * Takes in a usage the stream reports: its counts replace those told before, except zeros for input counts
     * (a message_delta may carry only the output so far).
     */
    private void usage(JsonValue v) {
        if (v instanceof JsonObject u) {
            JsonObjectBuilder merged = Json.createObjectBuilder(usage);
            u.forEach((k, n) -> {
                if (n instanceof JsonNumber count && (count.longValue() > 0 || k.equals("output_tokens"))) {
                    merged.add(k, count);
                }
            });
            usage = merged.build();
        }
    }

    private JsonObjectBuilder base() {
        return Json.createObjectBuilder().add("id", id).add("object", "chat.completion.chunk").add("created", created)
                .add("model", model);
    }

    private String chunk(JsonObjectBuilder delta, String finishReason) {
        JsonObjectBuilder choice = Json.createObjectBuilder().add("index", 0).add("delta", delta).addNull("logprobs");
        if (finishReason == null) {
            choice.addNull("finish_reason");
        } else {
            choice.add("finish_reason", finishReason);
        }
        JsonObjectBuilder c = base().add("choices", Json.createArrayBuilder().add(choice));
        if (includeUsage) {
            c.addNull("usage");
        }
        return c.build().toString();
    }
}
