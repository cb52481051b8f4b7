package dev.shammah.upstream;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import dev.shammah.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

/**
 * Rebuilds the complete Messages API response from its stream events, so a streamed answer can be kept in
 * the session and logged exactly like a non-streamed one: text, tool_use (its input parsed from the
 * {@code input_json_delta} fragments), thinking with its signature, citations, stop reason and usage.
 */
public final class MessageAssembler {
    private JsonObject start;
    private final TreeMap<Integer, Block> blocks = new TreeMap<>();
    private JsonValue stopReason = JsonValue.NULL;
    private JsonValue stopSequence = JsonValue.NULL;
    private JsonObject usage = JsonValue.EMPTY_JSON_OBJECT;
    private JsonObject error;
    private boolean stopped;

    /** Feeds one event; unknown events (and pings) are ignored, as Anthropic asks clients to do. */
    public void accept(SseEvent event) {
        JsonObject data;
        try {
            data = Json.createReader(new StringReader(event.data())).readObject();
        } catch (JsonException | IllegalStateException e) {
            return;
        }
        switch (data.getString("type", event.event())) {
            case "message_start" -> {
                start = data.getJsonObject("message");
                if (start != null && start.get("usage") instanceof JsonObject u) {
                    usage = u;
                }
            }
            case "content_block_start" -> blocks.put(data.getInt("index", blocks.size()),
                    new Block(data.getJsonObject("content_block")));
            case "content_block_delta" -> {
                Block block = blocks.get(data.getInt("index", -1));
                if (block != null && data.get("delta") instanceof JsonObject delta) {
                    block.apply(delta);
                }
            }
            case "message_delta" -> {
                if (data.get("delta") instanceof JsonObject delta) {
                    stopReason = delta.getOrDefault("stop_reason", stopReason);
                    stopSequence = delta.getOrDefault("stop_sequence", stopSequence);
                }
                if (data.get("usage") instanceof JsonObject u) {
                    JsonObjectBuilder merged = Json.createObjectBuilder(usage);
                    u.forEach(merged::add);
                    usage = merged.build();
                }
            }
            case "message_stop" -> stopped = true;
            case "error" -> error = data;
            default -> {
                // ping, content_block_stop and event types added in future: nothing to assemble
            }
        }
    }

    /** Whether {@code message_stop} arrived: only then is the message whole. */
    public boolean complete() {
        return stopped && start != null;
    }

    /** The {@code error} event the stream carried, or null. */
    public JsonObject error() {
        return error;
    }

    /** The message as a non-streaming response would have returned it. */
    public JsonObject message() {
        JsonObjectBuilder b = start == null ? Json.createObjectBuilder() : Json.createObjectBuilder(start);
        JsonArrayBuilder content = Json.createArrayBuilder();
        blocks.values().forEach(block -> content.add(block.build()));
        return b.add("content", content)
                .add("stop_reason", stopReason)
                .add("stop_sequence", stopSequence)
                .add("usage", usage)
                .build();
    }

    /** One content block being filled by deltas. */
    private static final class Block {
        private final JsonObject start;
        private final StringBuilder text = new StringBuilder();
        private final StringBuilder partialJson = new StringBuilder();
        private final StringBuilder thinking = new StringBuilder();
        private final List<JsonValue> citations = new ArrayList<>();
        private String signature;

        Block(JsonObject start) {
            this.start = start == null ? JsonValue.EMPTY_JSON_OBJECT : start;
        }

        void apply(JsonObject delta) {
            switch (delta.getString("type", "")) {
                case "text_delta" -> text.append(delta.getString("text", ""));
                case "input_json_delta" -> partialJson.append(delta.getString("partial_json", ""));
                case "thinking_delta" -> thinking.append(delta.getString("thinking", ""));
                case "signature_delta" -> signature = delta.getString("signature", "");
                case "citations_delta" -> {
                    if (delta.containsKey("citation")) {
                        citations.add(delta.get("citation"));
                    }
                }
                default -> {
                    // unknown delta types carry nothing we can place
                }
            }
        }

        JsonObject build() {
            JsonObjectBuilder b = Json.createObjectBuilder(start);
            String type = start.getString("type", "");
            if (type.equals("text")) {
                b.add("text", start.getString("text", "") + text);
                if (!citations.isEmpty()) {
                    JsonArrayBuilder all = start.get("citations") instanceof JsonArray existing
                            ? Json.createArrayBuilder(existing) : Json.createArrayBuilder();
                    citations.forEach(all::add);
                    b.add("citations", all);
                }
            } else if (type.equals("thinking")) {
                b.add("thinking", start.getString("thinking", "") + thinking);
                if (signature != null) {
                    b.add("signature", signature);
                }
            } else if (!partialJson.isEmpty()) {
                // tool_use and server_tool_use: the fragments concatenate to the input object.
                b.add("input", parse(partialJson.toString()));
            }
            return b.build();
        }

        private static JsonValue parse(String json) {
            try {
                return Json.createReader(new StringReader(json)).readValue();
            } catch (JsonException | IllegalStateException e) {
                // Keep what arrived rather than inventing an empty input.
                return Json.createValue(json);
            }
        }
    }
}
