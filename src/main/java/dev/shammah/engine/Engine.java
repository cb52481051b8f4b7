package dev.shammah.engine;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.shammah.errors.ErrorType;
import dev.shammah.errors.ShammahException;
import dev.shammah.metrics.RequestLog;
import dev.shammah.metrics.RequestLogEntry;
import dev.shammah.metrics.ShammahMetrics;
import dev.shammah.session.Session;
import dev.shammah.session.SessionStore;
import dev.shammah.upstream.ClaudeClient;
import dev.shammah.upstream.UpstreamReply;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;

/**
 * The one place a Messages request is answered, whichever door it came through: session → upstream →
 * record the turn → log. HTTP, {@code query} and the REPL all call {@link #answer(Turn)}.
 */
public final class Engine {
    public static final String ROUTE_FORWARD = "forward";
    /** Route of a request refused before it could be answered (bad input, too large). */
    public static final String ROUTE_REJECTED = "rejected";

    private final SessionStore sessions;
    private final ClaudeClient upstream;
    private final RequestLog requestLog;
    private final ShammahMetrics metrics;
    private final Clock clock;

    public Engine(SessionStore sessions, ClaudeClient upstream, RequestLog requestLog, ShammahMetrics metrics,
                  Clock clock) {
        this.sessions = sessions;
        this.upstream = upstream;
        this.requestLog = requestLog;
        this.metrics = metrics;
        this.clock = clock;
    }

    public SessionStore sessions() {
        return sessions;
    }

    /**
     * Answers a turn. Upstream error statuses come back as a reply (the client sees them unchanged);
     * failures of our own — no upstream configured, a full session store, an unreachable upstream —
     * are thrown as {@link ShammahException}. Either way one request-log line is written.
     */
    public EngineReply answer(Turn turn) {
        long start = System.nanoTime();
        MessagesRequest request = turn.request();
        String sessionId = request.sessionId();
        int status = 500;
        long upstreamMs = -1;
        long inputTokens = -1;
        long outputTokens = -1;
        try {
            if (!upstream.configured()) {
                throw new ShammahException(ErrorType.UNAVAILABLE, "No upstream API key is configured, and no "
                        + "local answer is available. Set ANTHROPIC_API_KEY (or SHAMMAH_UPSTREAM_API_KEY), or "
                        + "upstream.api-key in ~/.shammah/config.yaml or the file given with --config.");
            }
            Session session = sessions.getOrCreate(sessionId);
            sessionId = session.id();
            List<JsonObject> history = session.history();
            List<JsonObject> added = newMessages(history, request.messages());
            List<JsonObject> conversation = new ArrayList<>(history.size() + added.size());
            conversation.addAll(history);
            conversation.addAll(added);

            JsonObject outgoing = conversation.size() == request.messages().size()
                    ? request.body()
                    : Json.createObjectBuilder(request.body()).add("messages", array(conversation)).build();

            UpstreamReply reply;
            try {
                reply = upstream.send("/v1/messages", outgoing, turn.headers());
            } catch (ShammahException e) {
                metrics.upstream(0, Duration.ofNanos(System.nanoTime() - start));
                throw e;
            }
            metrics.upstream(reply.status(), reply.latency());
            upstreamMs = reply.latency().toMillis();
            status = reply.status();
            JsonObject body = parseUpstreamBody(reply);
            boolean ok = status >= 200 && status < 300;
            if (ok) {
                JsonObject usage = body.getJsonObject("usage");
                inputTokens = usage == null ? -1 : longOf(usage, "input_tokens");
                outputTokens = usage == null ? -1 : longOf(usage, "output_tokens");
                JsonObject assistant = Json.createObjectBuilder()
                        .add("role", "assistant")
                        .add("content", body.containsKey("content") ? body.get("content") : JsonValue.EMPTY_JSON_ARRAY)
                        .build();
                session.recordTurn(added, assistant, Math.max(0, inputTokens), Math.max(0, outputTokens),
                        clock.instant());
                body = Json.createObjectBuilder(body).add("session_id", sessionId).build();
            }
            return new EngineReply(status, body, sessionId, reply.headers());
        } catch (ShammahException e) {
            status = e.type().status();
            throw e;
        } finally {
            requestLog.append(new RequestLogEntry(clock.instant(), turn.requestId(), sessionId,
                    PromptText.sha256(PromptText.lastUserText(request.messages())), request.model(), ROUTE_FORWARD,
                    request.stream(), status, Duration.ofNanos(System.nanoTime() - start).toMillis(), upstreamMs,
                    inputTokens, outputTokens));
        }
    }

    /** Logs a request that never reached {@link #answer}: it was refused while being read or checked. */
    public void rejected(String requestId, int status, long startNanos) {
        requestLog.append(new RequestLogEntry(clock.instant(), requestId, null, null, null, ROUTE_REJECTED, false,
                status, Duration.ofNanos(System.nanoTime() - startNanos).toMillis(), -1, -1, -1));
    }

    /**
     * The request's messages that the session does not already hold. A client may resend the whole
     * conversation or only its new turn; both work, because a request that starts with the stored history
     * contributes only what follows it.
     */
    static List<JsonObject> newMessages(List<JsonObject> history, List<JsonObject> requested) {
        if (history.isEmpty() || requested.size() < history.size()) {
            return requested;
        }
        for (int i = 0; i < history.size(); i++) {
            if (!history.get(i).equals(requested.get(i))) {
                return requested;
            }
        }
        return requested.subList(history.size(), requested.size());
    }

    private static JsonObject parseUpstreamBody(UpstreamReply reply) {
        String text = new String(reply.body(), StandardCharsets.UTF_8);
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            JsonValue value = reader.readValue();
            if (value instanceof JsonObject object) {
                return object;
            }
        } catch (JsonParsingException | IllegalStateException e) {
            // fall through: not JSON
        }
        if (reply.status() >= 400) {
            // A proxy or load balancer in front of the upstream answered with HTML or text: keep the
            // status, give the client an Anthropic-shaped error it can parse.
            ErrorType type = ErrorType.forStatus(reply.status());
            return Json.createObjectBuilder()
                    .add("type", "error")
                    .add("error", Json.createObjectBuilder()
                            .add("type", type.wireName())
                            .add("message", "Upstream returned HTTP " + reply.status() + ": "
                                    + abbreviate(text)))
                    .build();
        }
        throw new ShammahException(ErrorType.BAD_GATEWAY, "Upstream returned HTTP " + reply.status()
                + " with a body that is not a JSON object: " + abbreviate(text));
    }

    private static String abbreviate(String text) {
        String oneLine = text.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "…";
    }

    private static long longOf(JsonObject o, String field) {
        return o.get(field) instanceof JsonNumber n ? n.longValue() : -1;
    }

    private static JsonArrayBuilder array(List<JsonObject> messages) {
        JsonArrayBuilder b = Json.createArrayBuilder();
        messages.forEach(b::add);
        return b;
    }
}
