package dev.shammah.testsupport;

import java.io.StringReader;
import java.util.List;

import dev.shammah.upstream.SseEvent;
import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * Checks a sequence of events against Anthropic's streaming grammar:
 * {@code message_start (content_block_start content_block_delta* content_block_stop)* message_delta
 * message_stop}, with pings anywhere after message_start, every delta of the type its block allows, indexes
 * counting up from 0, each event's {@code type} equal to its name — or an {@code error} event ending it.
 */
public final class StreamGrammar {
    private StreamGrammar() {
    }

    /** @throws AssertionError naming the first event that breaks the grammar */
    public static void check(List<SseEvent> events) {
        if (events.isEmpty()) {
            throw new AssertionError("empty stream");
        }
        int state = 0; // 0 before message_start, 1 between blocks, 2 in a block, 3 after message_delta, 4 stopped
        int nextIndex = 0;
        String blockType = null;
        for (int i = 0; i < events.size(); i++) {
            SseEvent e = events.get(i);
            JsonObject data = Json.createReader(new StringReader(e.data())).readObject();
            String at = "event " + i + " (" + e.event() + ")";
            if (!e.event().equals(data.getString("type", ""))) {
                throw new AssertionError(at + ": name does not match data.type " + data.getString("type", ""));
            }
            if (state == 4) {
                throw new AssertionError(at + ": after message_stop");
            }
            switch (e.event()) {
                case "message_start" -> {
                    expect(state == 0, at, "message_start must come first, once");
                    JsonObject m = data.getJsonObject("message");
                    expect(m != null && "assistant".equals(m.getString("role", "")) && m.containsKey("usage"),
                            at, "message_start needs a message with role and usage");
                    state = 1;
                }
                case "ping" -> expect(state >= 1, at, "ping before message_start");
                case "content_block_start" -> {
                    expect(state == 1, at, "content_block_start outside the block sequence");
                    expect(data.getInt("index", -1) == nextIndex, at, "index should be " + nextIndex);
                    blockType = data.getJsonObject("content_block").getString("type");
                    state = 2;
                }
                case "content_block_delta" -> {
                    expect(state == 2, at, "delta outside a block");
                    expect(data.getInt("index", -1) == nextIndex, at, "delta for another block");
                    String delta = data.getJsonObject("delta").getString("type");
                    boolean fits = switch (blockType) {
                        case "text" -> delta.equals("text_delta") || delta.equals("citations_delta");
                        case "tool_use", "server_tool_use" -> delta.equals("input_json_delta");
                        case "thinking" -> delta.equals("thinking_delta") || delta.equals("signature_delta");
                        default -> false;
                    };
                    expect(fits, at, delta + " cannot change a " + blockType + " block");
                }
                case "content_block_stop" -> {
                    expect(state == 2 && data.getInt("index", -1) == nextIndex, at, "stop without its start");
                    nextIndex++;
                    state = 1;
                }
                case "message_delta" -> {
                    expect(state == 1, at, "message_delta before the blocks ended");
                    expect(data.getJsonObject("delta").containsKey("stop_reason"), at, "message_delta needs stop_reason");
                    expect(data.containsKey("usage"), at, "message_delta needs usage");
                    state = 3;
                }
                case "message_stop" -> {
                    expect(state == 3, at, "message_stop before message_delta");
                    state = 4;
                }
                case "error" -> {
                    expect(i == events.size() - 1, at, "events after an error");
                    expect(data.getJsonObject("error").containsKey("type"), at, "error needs error.type");
                    return;
                }
                default -> throw new AssertionError(at + ": unknown event");
            }
        }
        expect(state == 4, "end of stream", "stream ended without message_stop");
    }

    private static void expect(boolean ok, String at, String what) {
        if (!ok) {
            throw new AssertionError(at + ": " + what);
        }
    }
}
