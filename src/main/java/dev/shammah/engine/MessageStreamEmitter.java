package dev.shammah.engine;

import java.util.Iterator;

import dev.shammah.local.GenerationOutcome;
import dev.shammah.upstream.SseEvent;
import dev.shammah.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

/**
 * Emits Anthropic's streaming grammar for an answer produced token by token (local answers):
 * {@code message_start, content_block_start, ping, content_block_delta*, content_block_stop, message_delta,
 * message_stop} — the same events, in the same order, as a forwarded text answer.
 */
public final class MessageStreamEmitter {
    /** Where the events go; null when nobody reads them (a whole answer): then none is built at all. */
    private final EventSink sink;

    /** @param sink where the events go, or null to only assemble the message (an answer not streamed) */
    public MessageStreamEmitter(EventSink sink) {
        this.sink = sink;
    }

    /**
     * Streams the tokens as one text block and returns the assembled message.
     *
     * @param id          message id ({@code msg_…})
     * @param model       model id to report
     * @param inputTokens input token count to report
     * @param maxTokens   stop after this many tokens with {@code stop_reason: max_tokens}
     * @param tokens      the answer, token by token; pulled lazily so generation can stop early
     * @param sessionId   the session the message ends by naming ({@code session_id}: the body a client is sent,
     *                    built once rather than copied to add it); null for none
     * @throws EventSink.ClientGoneException if the client went away (the iterator is not pulled again)
     */
    public JsonObject emit(String id, String model, long inputTokens, int maxTokens, Iterator<String> tokens,
                           String sessionId) {
        if (sink != null) {
            send("message_start", Json.createObjectBuilder()
                .add("type", "message_start")
                .add("message", Json.createObjectBuilder()
                        .add("id", id)
                        .add("type", "message")
                        .add("role", "assistant")
                        .add("model", model)
                        .add("content", JsonValue.EMPTY_JSON_ARRAY)
                        .add("stop_reason", JsonValue.NULL)
                        .add("stop_sequence", JsonValue.NULL)
                        .add("usage", Json.createObjectBuilder().add("input_tokens", inputTokens)
                                .add("output_tokens", 0)))
                .build());
            send("content_block_start", Json.createObjectBuilder()
                    .add("type", "content_block_start")
                    .add("index", 0)
                    .add("content_block", Json.createObjectBuilder().add("type", "text").add("text", ""))
                    .build());
            send("ping", Json.createObjectBuilder().add("type", "ping").build());
        }
        StringBuilder text = new StringBuilder();
        int count = 0;
        String stopReason = "end_turn";
        while (tokens.hasNext()) {
            if (count == maxTokens) {
                stopReason = "max_tokens";
                break;
            }
            String token = tokens.next();
            count++;
            if (token.isEmpty()) {
                continue; // a token whose text is not complete yet (half a character, a possible stop sequence)
            }
            text.append(token);
            if (sink == null) {
                continue;
            }
            send("content_block_delta", Json.createObjectBuilder()
                    .add("type", "content_block_delta")
                    .add("index", 0)
                    .add("delta", Json.createObjectBuilder().add("type", "text_delta").add("text", token))
                    .build());
        }
        String stopSequence = null;
        if (!"max_tokens".equals(stopReason) && tokens instanceof GenerationOutcome o
                && o.stopReason() != null) {
            // A generator knows why it stopped (a stop sequence, its own max_tokens) better than the count does.
            stopReason = o.stopReason();
            stopSequence = o.stopSequence();
        }
        if (sink != null) {
            send("content_block_stop", Json.createObjectBuilder().add("type", "content_block_stop").add("index", 0)
                    .build());
            send("message_delta", Json.createObjectBuilder()
                    .add("type", "message_delta")
                    .add("delta", Json.createObjectBuilder().add("stop_reason", stopReason)
                            .add("stop_sequence", stopSequence == null ? JsonValue.NULL
                                    : Json.createValue(stopSequence)))
                    .add("usage", Json.createObjectBuilder().add("output_tokens", count))
                    .build());
            send("message_stop", Json.createObjectBuilder().add("type", "message_stop").build());
        }
        JsonObjectBuilder message = Json.createObjectBuilder()
                .add("id", id)
                .add("type", "message")
                .add("role", "assistant")
                .add("model", model)
                .add("content", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("type", "text").add("text", text.toString())))
                .add("stop_reason", stopReason)
                .add("stop_sequence", stopSequence == null ? JsonValue.NULL : Json.createValue(stopSequence))
                .add("usage", Json.createObjectBuilder().add("input_tokens", inputTokens).add("output_tokens", count));
        if (sessionId != null) {
            message.add("session_id", sessionId);
        }
        return message.build();
    }

    private void send(String name, JsonObject data) {
        sink.send(new SseEvent(name, data.toString()));
    }
}
