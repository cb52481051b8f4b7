package dev.shammah.engine;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.shammah.errors.ErrorType;
import dev.shammah.errors.ShammahException;
import dev.shammah.metrics.RequestLog;
import dev.shammah.metrics.RequestLogEntry;
import dev.shammah.metrics.ShammahMetrics;
import dev.shammah.session.Session;
import dev.shammah.session.SessionStore;
import dev.shammah.upstream.ClaudeClient;
import dev.shammah.upstream.MessageAssembler;
import dev.shammah.upstream.SseEvent;
import dev.shammah.upstream.UpstreamReply;
import dev.shammah.upstream.UpstreamStream;
import io.helidon.http.Method;
import dev.shammah.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * The one place a Messages request is answered, whichever door it came through: session → upstream →
 * record the turn → log. HTTP, {@code query} and the REPL all call {@link #answer} or {@link #stream}.
 */
public final class Engine {
    private static final Logger LOG = Logger.getLogger(Engine.class.getName());

    public static final String ROUTE_FORWARD = "forward";
    public static final String ROUTE_LOCAL = "local";
    /** Route of a request refused before it could be answered (bad input, too large). */
    public static final String ROUTE_REJECTED = "rejected";
    /** Logged status of a stream whose client went away before the end (nginx's convention). */
    public static final int CLIENT_CLOSED = 499;

    private final SessionStore sessions;
    private final ClaudeClient upstream;
    private final RequestLog requestLog;
    private final ShammahMetrics metrics;
    private final Clock clock;
    private final LearningLoop learning;
    private final boolean storeText;

    public Engine(SessionStore sessions, ClaudeClient upstream, LearningLoop learning, RequestLog requestLog,
                  ShammahMetrics metrics, Clock clock, boolean storeText) {
        this.sessions = sessions;
        this.upstream = upstream;
        this.learning = learning;
        this.requestLog = requestLog;
        this.metrics = metrics;
        this.clock = clock;
        this.storeText = storeText;
    }

    public LearningLoop learning() {
        return learning;
    }

    public SessionStore sessions() {
        return sessions;
    }

    /**
     * Answers a turn with one complete response. Upstream error statuses come back as a reply (the client sees
     * them unchanged); failures of our own — no upstream configured, a full session store, an unreachable
     * upstream — are thrown as {@link ShammahException}. Either way one request-log line is written.
     */
    public EngineReply answer(Turn turn) {
        Outcome log = new Outcome(turn);
        try {
            Prepared p = prepare(turn, log);
            java.util.Optional<EngineReply> local = tryLocally(turn, p, log,
                    () -> local(p, emitLocal(DISCARD, turn, p), log));
            if (local.isPresent()) {
                return local.get();
            }
            requireUpstream(turn);
            UpstreamReply reply = timedUpstream(log, () ->
                    upstream.send(Method.POST, "/v1/messages" + turn.query(), p.outgoing(), turn.headers()));
            log.status = reply.status();
            JsonObject body = reply.json();
            if (reply.status() >= 200 && reply.status() < 300) {
                learning.learnAsync(log.plan, body, turn.requestId());
                body = record(p, body, log);
            }
            java.util.Map<String, String> headers = withRoute(reply.headers(), "forward");
            Duration added = Duration.ofNanos(System.nanoTime() - log.start).minus(reply.latency());
            metrics.addedLatency(added.isNegative() ? Duration.ZERO : added);
            headers.put("x-shammah-overhead-ms", String.format(java.util.Locale.ROOT, "%.3f",
                    Math.max(0, added.toNanos()) / 1e6));
            return new EngineReply(reply.status(), body, p.session().id(), headers);
        } catch (ShammahException e) {
            log.status = e.type().status();
            throw e;
        } finally {
            log.write();
        }
    }

    /**
     * Answers a turn as a stream of events into {@code sink}. If the upstream refuses before streaming
     * (a 400, a 429 …) nothing is sent to the sink and the refusal is returned for the caller to send as
     * JSON; otherwise the sink is opened, every event is relayed as it arrives, and the assembled message
     * is returned. A client that goes away cancels the upstream call.
     */
    public EngineReply stream(Turn turn, EventSink sink) {
        Outcome log = new Outcome(turn);
        log.streamed = true;
        try {
            Prepared p = prepare(turn, log);
            java.util.Optional<EngineReply> local = tryLocally(turn, p, log, () -> streamLocally(turn, p, sink, log));
            if (local.isPresent()) {
                return local.get();
            }
            requireUpstream(turn);
            long start = System.nanoTime();
            UpstreamStream stream;
            try {
                // Whoever calls stream() wants events, whatever the body said (the terminal builds its own).
                JsonObject outgoing = p.outgoing().getBoolean("stream", false) ? p.outgoing()
                        : Json.createObjectBuilder(p.outgoing()).add("stream", true).build();
                stream = upstream.stream("/v1/messages" + turn.query(), outgoing, turn.headers());
            } catch (ShammahException e) {
                metrics.upstream(0, Duration.ofNanos(System.nanoTime() - start));
                throw e;
            }
            try (stream) {
                if (stream.refusal() != null) {
                    UpstreamReply refusal = stream.refusal();
                    metrics.upstream(refusal.status(), refusal.latency());
                    log.upstreamMs = refusal.latency().toMillis();
                    log.status = refusal.status();
                    return new EngineReply(refusal.status(), refusal.json(), p.session().id(),
                            refusal.headers());
                }
                return relay(stream, sink, p, log, start);
            }
        } catch (ShammahException e) {
            log.status = e.type().status();
            throw e;
        } finally {
            log.write();
        }
    }

    private EngineReply relay(UpstreamStream stream, EventSink sink, Prepared p, Outcome log, long start) {
        java.util.Map<String, String> headers = new java.util.LinkedHashMap<>(withRoute(stream.headers(), "forward"));
        headers.put("x-shammah-session-id", p.session().id());
        sink.open(headers);
        log.status = 200;
        MessageAssembler assembler = new MessageAssembler();
        try {
            while (true) {
                SseEvent event;
                try {
                    event = stream.next();
                } catch (IOException | RuntimeException e) {
                    // Helidon reports a cut connection as IOException or as its own unchecked exceptions.
                    LOG.log(Level.WARNING, log.requestId + ": upstream stream broke", e);
                    brokenStream(sink, log, "Upstream stream broke off: " + e.getMessage());
                    break;
                }
                if (event == null) {
                    break;
                }
                assembler.accept(event);
                sink.send(event);
            }
        } catch (EventSink.ClientGoneException e) {
            // Closing the stream (try-with-resources in the caller) drops the upstream connection.
            log.status = CLIENT_CLOSED;
            LOG.fine(() -> log.requestId + ": client went away mid-stream; upstream call cancelled");
        }
        if (log.status == 200 && !assembler.complete() && assembler.error() == null) {
            // Ended cleanly but without message_stop: a proxy cut it short. Not a whole answer.
            brokenStream(sink, log, "Upstream stream broke off: it ended before message_stop");
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        metrics.upstream(200, took);
        log.upstreamMs = took.toMillis();
        JsonObject message = assembler.message();
        if (assembler.error() != null && log.status == 200) {
            log.status = ErrorType.API_ERROR.status();
        }
        if (assembler.complete() && assembler.error() == null && log.status == 200) {
            learning.learnAsync(log.plan, message, log.requestId);
            message = record(p, message, log);
        }
        return new EngineReply(log.status, message, p.session().id(), stream.headers());
    }

    /**
     * The upstream failed mid-stream: the client learns it the way Anthropic reports stream failures, with
     * an error event, since the status line has long been sent.
     */
    private static void brokenStream(EventSink sink, Outcome log, String message) {
        log.status = ErrorType.BAD_GATEWAY.status();
        sendQuietly(sink, new SseEvent("error", Json.createObjectBuilder()
                .add("type", "error")
                .add("error", Json.createObjectBuilder().add("type", "api_error").add("message", message))
                .build().toString()));
    }

    private static void sendQuietly(EventSink sink, SseEvent event) {
        try {
            sink.send(event);
        } catch (EventSink.ClientGoneException ignored) {
            // nobody left to tell
        }
    }

    /**
     * Logs a request that never reached the engine: it was refused while being read or checked.
     *
     * @param reason our validation message (it names fields, never echoes request text)
     */
    public void rejected(String requestId, int status, long startNanos, String reason) {
        requestLog.append(new RequestLogEntry(clock.instant(), requestId, null, null, null, ROUTE_REJECTED, false,
                status, Duration.ofNanos(System.nanoTime() - startNanos).toMillis(), -1, -1, -1, reason, null, -1, -1,
                null));
    }

    /** Thrown when a request must be forwarded and there is nothing to forward with. */
    private void requireUpstream(Turn turn) {
        if (!upstream.canCall(turn.headers())) {
            throw new ShammahException(ErrorType.UNAVAILABLE, "No upstream API key is configured, and no "
                    + "local answer is available. Set ANTHROPIC_API_KEY (or SHAMMAH_UPSTREAM_API_KEY), or "
                    + "upstream.api-key in ~/.shammah/config.yaml or the file given with --config.");
        }
    }

    private Prepared prepare(Turn turn, Outcome log) {
        MessagesRequest request = turn.request();
        // Read the history without creating a session: a request that will be refused must not leave one.
        List<JsonObject> history = request.sessionId() == null ? List.of()
                : sessions.findFor(request.sessionId(), turn.owner()).map(Session::history).orElse(List.of());
        List<JsonObject> added = newMessages(history, request.messages());
        List<JsonObject> conversation = new ArrayList<>(history.size() + added.size());
        conversation.addAll(history);
        conversation.addAll(added);
        LearningLoop.Plan plan;
        if (LearningLoop.isLocalModelName(request.model())) {
            // The client chose a local model by name: it never goes upstream (Claude has no such model).
            String why = learning.unavailable(request.model());
            if (why != null) {
                throw new ShammahException(ErrorType.UNAVAILABLE, why);
            }
            plan = learning.namedPlan(request.model(), conversation);
        } else {
            plan = switch (turn.route()) {
                case AUTO -> learning.plan(conversation, request.body());
                case FORWARD -> LearningLoop.Plan.forward("requested-forward");
                case LOCAL -> learning.forcedLocal(conversation, request.body());
            };
        }
        log.plan = plan;
        if (!plan.decision().local()) {
            requireUpstream(turn);
        }
        Session session = sessions.getOrCreate(request.sessionId(), turn.owner());
        log.sessionId = session.id();
        JsonObject outgoing = conversation.size() == request.messages().size()
                ? request.body()
                : Json.createObjectBuilder(request.body()).add("messages", array(conversation)).build();
        return new Prepared(session, added, outgoing, plan);
    }

    /**
     * Answers locally if the plan says so and a model permit comes in time; empty means forward (the plan then
     * says "busy" when the permit was the reason).
     */
    private java.util.Optional<EngineReply> tryLocally(Turn turn, Prepared p, Outcome log,
                                                       java.util.function.Supplier<EngineReply> answer) {
        if (!p.plan().decision().local()) {
            return java.util.Optional.empty();
        }
        if (learning.acquire()) {
            try {
                return java.util.Optional.of(answer.get());
            } finally {
                learning.release();
            }
        }
        busy(turn, p, log);
        return java.util.Optional.empty();
    }

    /** No model permit in time: forward instead, unless the client asked for the student itself. */
    private void busy(Turn turn, Prepared p, Outcome log) {
        if (LearningLoop.isLocalModelName(turn.request().model())) {
            throw new ShammahException(ErrorType.OVERLOADED, "The local model is busy (model.permits); retry shortly");
        }
        log.plan = p.plan().withDecision(p.plan().decision().asForward("busy"));
    }

    /** Records and returns a local answer (already produced). */
    private EngineReply local(Prepared p, JsonObject message, Outcome log) {
        log.status = 200;
        log.route = ROUTE_LOCAL;
        JsonObject usage = message.getJsonObject("usage");
        learning.servedLocally(p.plan(), usage.getJsonNumber("input_tokens").longValue(),
                usage.getJsonNumber("output_tokens").longValue());
        JsonObject body = record(p, message, log);
        return new EngineReply(200, body, p.session().id(), localHeaders(p.plan()));
    }

    private EngineReply streamLocally(Turn turn, Prepared p, EventSink sink, Outcome log) {
        java.util.Map<String, String> headers = new java.util.LinkedHashMap<>(localHeaders(p.plan()));
        headers.put("x-shammah-session-id", p.session().id());
        sink.open(headers);
        try {
            return local(p, emitLocal(sink, turn, p), log);
        } catch (EventSink.ClientGoneException e) {
            log.status = CLIENT_CLOSED;
            log.route = ROUTE_LOCAL;
            return new EngineReply(CLIENT_CLOSED, Json.createObjectBuilder().build(), p.session().id(), headers);
        }
    }

    /** Runs the local model into {@code sink}; its generation is closed even if the client leaves midway. */
    private JsonObject emitLocal(EventSink sink, Turn turn, Prepared p) {
        java.util.Iterator<String> tokens = learning.tokens(p.plan());
        try {
            return new MessageStreamEmitter(sink).emit(localMessageId(), turn.request().model(),
                    TokenEstimator.estimate(p.outgoing()), turn.request().maxTokens(), tokens);
        } finally {
            if (tokens instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.log(Level.FINE, "closing a local generation", e);
                }
            }
        }
    }

    private static java.util.Map<String, String> localHeaders(LearningLoop.Plan plan) {
        return java.util.Map.of("x-shammah-route", ROUTE_LOCAL,
                "x-shammah-confidence", String.format(java.util.Locale.ROOT, "%.4f", plan.decision().confidence()));
    }

    private static java.util.Map<String, String> withRoute(java.util.Map<String, String> headers, String route) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>(headers);
        out.put("x-shammah-route", route);
        return out;
    }

    private static String localMessageId() {
        return "msg_local_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    /** A sink for local answers returned whole: the emitter still assembles the message. */
    private static final EventSink DISCARD = new EventSink() {
        @Override
        public void open(java.util.Map<String, String> headers) {
        }

        @Override
        public void send(SseEvent event) {
        }
    };

    /** Stores a successful turn in its session; returns the response with {@code session_id} added. */
    private JsonObject record(Prepared p, JsonObject response, Outcome log) {
        if (response.get("usage") instanceof JsonObject usage) {
            log.inputTokens = longOf(usage, "input_tokens");
            log.outputTokens = longOf(usage, "output_tokens");
        }
        JsonObject assistant = Json.createObjectBuilder()
                .add("role", "assistant")
                .add("content", response.containsKey("content") ? response.get("content") : JsonValue.EMPTY_JSON_ARRAY)
                .build();
        p.session().recordTurn(p.added(), assistant, Math.max(0, log.inputTokens), Math.max(0, log.outputTokens),
                clock.instant());
        return Json.createObjectBuilder(response).add("session_id", p.session().id()).build();
    }

    private UpstreamReply timedUpstream(Outcome log, java.util.function.Supplier<UpstreamReply> call) {
        long start = System.nanoTime();
        try {
            UpstreamReply reply = call.get();
            metrics.upstream(reply.status(), reply.latency());
            log.upstreamMs = reply.latency().toMillis();
            return reply;
        } catch (ShammahException e) {
            metrics.upstream(0, Duration.ofNanos(System.nanoTime() - start));
            throw e;
        }
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

    private static long longOf(JsonObject o, String field) {
        return o.get(field) instanceof JsonNumber n ? n.longValue() : -1;
    }

    private static JsonArrayBuilder array(List<JsonObject> messages) {
        JsonArrayBuilder b = Json.createArrayBuilder();
        messages.forEach(b::add);
        return b;
    }

    /** The session, the messages this turn adds to it, the request to send upstream, and the route plan. */
    private record Prepared(Session session, List<JsonObject> added, JsonObject outgoing, LearningLoop.Plan plan) {
    }

    /** What the request-log line will say; filled in as the turn goes, written once at the end. */
    private final class Outcome {
        private final long start = System.nanoTime();
        private final String requestId;
        private final MessagesRequest request;
        private String sessionId;
        private int status = 500;
        private long upstreamMs = -1;
        private long inputTokens = -1;
        private long outputTokens = -1;
        private String route = ROUTE_FORWARD;
        private boolean streamed;
        private LearningLoop.Plan plan;

        Outcome(Turn turn) {
            this.requestId = turn.requestId();
            this.request = turn.request();
            this.sessionId = turn.request().sessionId();
        }

        void write() {
            String prompt = PromptText.lastUserText(request.messages());
            var d = plan == null ? null : plan.decision();
            requestLog.append(new RequestLogEntry(clock.instant(), requestId, sessionId, PromptText.sha256(prompt),
                    request.model(), route, streamed, status,
                    Duration.ofNanos(System.nanoTime() - start).toMillis(), upstreamMs, inputTokens, outputTokens, null,
                    d == null ? null : d.reason(), d == null || d.candidate() == null ? -1 : d.confidence(),
                    d == null || d.candidate() == null ? -1 : d.matchScore(), storeText ? prompt : null));
        }
    }
}
