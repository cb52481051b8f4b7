package dev.shammah.cli;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import dev.shammah.cli.tools.Approver;
import dev.shammah.cli.tools.ToolBox;
import dev.shammah.engine.EngineReply;
import dev.shammah.engine.EventSink;
import dev.shammah.engine.Turn;
import dev.shammah.upstream.SseEvent;
import dev.shammah.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

/**
 * One question from the terminal, answered — with the tool loop when tools are on: while the model stops for
 * {@code tool_use}, each call is shown, approved or denied, run, and its {@code tool_result} sent back in the
 * same session, up to {@code maxIterations} rounds.
 */
final class AgentLoop {
    /** What the terminal shows as the answer comes. */
    interface Listener {
        /** The route is known ({@code local} or {@code forward}): before the first token when streaming. */
        default void route(String route) {
        }

        void firstToken();

        void text(String delta);

        void toolCall(String description);

        void toolResult(String summary, boolean error);

        void notice(String message);
    }

    /**
     * Request settings for one question.
     *
     * @param model     model to ask for
     * @param maxTokens max_tokens
     * @param system    system prompt, or null
     * @param stream    stream the answer as it comes
     * @param route     a forced route, or AUTO
     */
    record Options(String model, int maxTokens, String system, boolean stream, Turn.Route route) {
    }

    /**
     * How the question ended.
     *
     * @param reply      the last reply (the final answer, or the error)
     * @param route      route of the final answer ({@code local}, {@code forward})
     * @param iterations requests made
     * @param inputTokens  summed over the requests
     * @param outputTokens summed over the requests
     * @param cancelled  the person pressed Ctrl-C
     */
    record Outcome(EngineReply reply, String route, int iterations, long inputTokens,
                   long outputTokens, boolean cancelled) {
    }

    private final Answerer answerer;
    private final ToolBox tools;
    private final Approver approver;
    private final int maxIterations;

    AgentLoop(Answerer answerer, ToolBox tools, Approver approver, int maxIterations) {
        this.answerer = answerer;
        this.tools = tools;
        this.approver = approver;
        this.maxIterations = maxIterations;
    }

    /**
     * Asks {@code text} in {@code conversation}, which follows the session and the tool calls it owes a result
     * (answered first in this request); its state stays right when this throws.
     */
    Outcome ask(String text, Conversation conversation, Options o, Listener listener, BooleanSupplier cancelled) {
        try {
            return loop(text, conversation, o, listener, cancelled);
        } catch (RuntimeException e) {
            conversation.stopped("error");
            throw e;
        }
    }

    private Outcome loop(String text, Conversation conversation, Options o, Listener listener,
                         BooleanSupplier cancelled) {
        JsonValue content = conversation.userContent(text);
        long in = 0;
        long out = 0;
        for (int i = 1; ; i++) {
            JsonObject body = body(o, content, conversation.sessionId());
            TextSink sink = o.stream() ? new TextSink(listener, cancelled) : null;
            EngineReply reply = answerer.answer(body, o.route(), sink);
            String route = reply.route() == null ? "" : reply.route().route();
            if (reply.status() == 499) {
                conversation.sentTo(reply.sessionId());
                conversation.stopped("cancelled");
                return new Outcome(reply, route, i, in, out, true);
            }
            if (!reply.ok()) {
                conversation.stopped("error");
                return new Outcome(reply, route, i, in, out, false);
            }
            List<JsonObject> calls = toolUses(reply.body());
            conversation.replied(reply.sessionId(), calls.stream().map(c -> c.getString("id", "")).toList());
            if (reply.body().get("usage") instanceof JsonObject usage) {
                in += usage.getJsonNumber("input_tokens") == null ? 0 : usage.getJsonNumber("input_tokens").longValue();
                out += usage.getJsonNumber("output_tokens") == null ? 0
                        : usage.getJsonNumber("output_tokens").longValue();
            }
            if (sink == null) {
                listener.firstToken();
                String t = TextOutput.answerText(withoutToolUse(reply.body()));
                if (!t.isEmpty()) {
                    listener.text(t);
                }
            }
            if (tools == null || calls.isEmpty() || !"tool_use".equals(reply.body().getString("stop_reason", ""))) {
                return new Outcome(reply, route, i, in, out, false);
            }
            if (i >= maxIterations) {
                listener.notice("Stopped after " + maxIterations + " tool rounds (cli.max-tool-iterations).");
                conversation.stopped("max iterations");
                return new Outcome(reply, route, i, in, out, false);
            }
            JsonArrayBuilder results = Json.createArrayBuilder();
            for (JsonObject call : calls) {
                JsonObject result = tools.execute(call, approver, d -> listener.toolCall(VisibleText.escape(d)));
                listener.toolResult(summary(result.getString("content", "")), result.getBoolean("is_error", false));
                results.add(result);
            }
            content = results.build();
        }
    }

    private JsonObject body(Options o, JsonValue content, String session) {
        JsonObjectBuilder b = Json.createObjectBuilder()
                .add("model", o.model())
                .add("max_tokens", o.maxTokens())
                .add("messages", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("role", "user").add("content", content)));
        if (o.system() != null) {
            b.add("system", o.system());
        }
        if (tools != null) {
            b.add("tools", tools.definitions());
        }
        if (session != null) {
            b.add("session_id", session);
        }
        return b.build();
    }

    private static List<JsonObject> toolUses(JsonObject message) {
        List<JsonObject> out = new ArrayList<>();
        JsonArray content = message.getJsonArray("content");
        if (content != null) {
            for (JsonValue v : content) {
                if (v instanceof JsonObject block && "tool_use".equals(block.getString("type", ""))) {
                    out.add(block);
                }
            }
        }
        return out;
    }

    private static JsonObject withoutToolUse(JsonObject message) {
        JsonArrayBuilder kept = Json.createArrayBuilder();
        JsonArray content = message.getJsonArray("content");
        if (content != null) {
            content.stream().filter(v -> !(v instanceof JsonObject b && "tool_use".equals(b.getString("type", ""))))
                    .forEach(kept::add);
        }
        return Json.createObjectBuilder(message).add("content", kept).build();
    }

    /** The start of a tool's output on one line, its control characters shown, never acting. */
    private static String summary(String content) {
        String oneLine = content.strip().replace('\n', ' ').replace('\t', ' ');
        return VisibleText.escape(oneLine.length() <= 120 ? oneLine : oneLine.substring(0, 120) + "…");
    }

    /** Prints text deltas as they arrive; Ctrl-C turns the next event into a disconnect. */
    private static final class TextSink implements EventSink {
        private final Listener listener;
        private final BooleanSupplier cancelled;
        private boolean first = true;

        TextSink(Listener listener, BooleanSupplier cancelled) {
            this.listener = listener;
            this.cancelled = cancelled;
        }

        @Override
        public void open(Head head) {
            listener.route(head.route() == null ? "" : head.route().route());
        }

        @Override
        public void send(SseEvent event) {
            if (cancelled.getAsBoolean()) {
                throw new ClientGoneException(null);
            }
            if (!"content_block_delta".equals(event.event())) {
                return;
            }
            JsonObject data = Json.createReader(new StringReader(event.data())).readObject();
            JsonObject delta = data.getJsonObject("delta");
            if (delta != null && "text_delta".equals(delta.getString("type", ""))) {
                if (first) {
                    first = false;
                    listener.firstToken();
                }
                listener.text(delta.getString("text", ""));
            }
        }
    }
}
