package dev.shammah.engine;

import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import dev.shammah.engine.TurnPreparer.Prepared;
import dev.shammah.errors.ErrorType;
import dev.shammah.errors.ShammahException;
import dev.shammah.json.Json;
import dev.shammah.local.RecallModel;
import dev.shammah.local.hf.HfGenerator;
import dev.shammah.metrics.Budgets;
import dev.shammah.metrics.RequestLog;
import dev.shammah.metrics.RequestLogEntry;
import dev.shammah.metrics.ShammahMetrics;
import dev.shammah.metrics.Usage;
import dev.shammah.metrics.UsageReport;
import dev.shammah.routing.RouteReason;
import dev.shammah.session.SessionLease;
import dev.shammah.session.Sessions;
import dev.shammah.upstream.ClaudeClient;
import dev.shammah.upstream.UpstreamReply;
import dev.shammah.upstream.UpstreamStream;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * The one place a Messages request is answered, whichever door it came through: session → route plan → a local
 * answer or the upstream → record the turn → learn → log. One path: {@link #answer} and {@link #stream} differ
 * only in where the events go.
 */
public final class Engine {
    /** Route of a request refused before it could be answered (bad input, too large). */
    public static final String ROUTE_REJECTED = "rejected";

    private final Sessions sessions;
    private final ClaudeClient upstream;
    private final RequestLog requestLog;
    private final ShammahMetrics metrics;
    private final Clock clock;
    private final TurnLearning learning;
    private final LocalModels models;
    private final boolean storeText;
    private final TurnPreparer preparer;
    private final Usage usage;
    private final Budgets budgets;

    /**
     * @param maxRequestBytes the largest request the upstream may be sent (server.max-body-bytes): a session's
     *                        history plus a new turn must still fit
     */
    public Engine(Sessions sessions, ClaudeClient upstream, LocalModels models, TurnLearning learning,
                  RequestLog requestLog, ShammahMetrics metrics, Clock clock, boolean storeText, long maxRequestBytes,
                  Usage usage, Budgets budgets) {
        this.usage = usage;
        this.sessions = sessions;
        this.upstream = upstream;
        this.learning = learning;
        this.models = models;
        this.requestLog = requestLog;
        this.metrics = metrics;
        this.clock = clock;
        this.storeText = storeText;
        this.preparer = new TurnPreparer(upstream, models, learning, maxRequestBytes, budgets);
        this.budgets = budgets;
    }

    public Sessions sessions() {
        return sessions;
    }

    /** The kept usage report, all tenants, all days kept (what {@code GET /admin/usage} answers unfiltered). */
    public JsonObject usageReport() {
        return UsageReport.of(usage, budgets, null, null, null, null);
    }

    /**
     * Answers a turn with one complete response. Upstream error statuses come back as a reply (the client sees
     * them unchanged); failures of our own — no upstream configured, a full session store, an unreachable
     * upstream — are thrown as {@link ShammahException}. Either way one request-log line is written.
     */
    public EngineReply answer(Turn turn) {
        return run(turn, null);
    }

    /**
     * Answers a turn as a stream of events into {@code sink}. If the upstream refuses before streaming
     * (a 400, a 429 …) nothing is sent to the sink and the refusal is returned for the caller to send as
     * JSON; otherwise the sink is opened, every event is relayed as it arrives, and the assembled message
     * is returned. A client that goes away cancels the upstream call.
     */
    public EngineReply stream(Turn turn, EventSink sink) {
        return run(turn, sink);
    }

    private EngineReply run(Turn turn, EventSink sink) {
        TurnLog log = new TurnLog(turn, requestLog, usage, clock, storeText);
        log.streamed = sink != null;
        // The session is held from reading its history to recording the answer: a concurrent turn waits, and
        // neither the reaper nor eviction can take it away in between.
        try (SessionLease lease = sessions.open(turn.request().sessionId(), turn.owner(), turn.client())) {
            log.sessionId = lease.id();
            Prepared p = preparer.prepare(turn, lease, log);
            if (p.plan().decision().local()) {
                return local(turn, p, sink, log);
            }
            preparer.requireUpstream(turn);
            return sink == null ? forward(turn, p, log) : forwardStreamed(turn, p, sink, log);
        } catch (ShammahException e) {
            log.status = e.type().status();
            throw e;
        } finally {
            log.write();
        }
    }

    /**
     * Logs a request that never reached the engine: it was refused while being read or checked.
     *
     * @param reason our validation message (it names fields, never echoes request text)
     */
    public void rejected(String requestId, int status, long startNanos, String reason) {
        requestLog.append(new RequestLogEntry(clock.instant(), requestId, null, null, null, ROUTE_REJECTED, false,
                status, Duration.ofNanos(System.nanoTime() - startNanos).toMillis(), -1, -1, -1, reason, null, null,
                -1, null));
    }

    /**
     * A local answer: the stored answer replayed (no model, no permit), or a local model asked for by name,
     * generated on a model thread behind the permit while this thread writes to the client.
     */
    private EngineReply local(Turn turn, Prepared p, EventSink sink, TurnLog log) {
        Plan plan = p.plan();
        String model = turn.request().model();
        boolean generated = plan.decision().why() == RouteReason.GENERATOR;
        if (generated) {
            model = HfGenerator.ID; // no stored answer: the user's model answers instead
        }
        Iterator<String> tokens;
        ModelRunner.Generation generation = null;
        long inputTokens = -1;
        if (LocalModels.isLocalModelName(model)) {
            // Routed to the user's model, it answers greedily: the way its evidence was measured.
            generation = models.start(model, generated ? ChatRequests.greedy(p.outgoing())
                    : ChatRequests.from(p.outgoing(), turn.request().maxTokens()));
            if (generation == null) {
                throw new ShammahException(ErrorType.OVERLOADED, "The local model is busy (model.permits); retry shortly");
            }
            tokens = generation;
            inputTokens = generation.inputTokens();
        } else {
            tokens = RecallModel.pieces(RecallModel.text(plan.decision().candidate())).iterator();
        }
        log.route = EngineReply.RouteInfo.LOCAL;
        EngineReply.RouteInfo route = EngineReply.RouteInfo.of(plan, true);
        JsonObject message;
        try {
            if (sink != null) {
                sink.open(new EventSink.Head(p.lease().id(), route, Map.of()));
            }
            // A whole answer is assembled without building the events nobody reads.
            message = new MessageStreamEmitter(sink).emit(localMessageId(), model,
                    inputTokens >= 0 ? inputTokens : TokenEstimator.estimate(p.outgoing()), turn.request().maxTokens(),
                    tokens, p.lease().id());
        } catch (EventSink.ClientGoneException e) {
            log.status = TurnLog.CLIENT_CLOSED;
            return new EngineReply(TurnLog.CLIENT_CLOSED, JsonValue.EMPTY_JSON_OBJECT, p.lease().id(), Map.of(),
                    route);
        } finally {
            if (generation != null) {
                generation.close();
            }
        }
        log.status = 200;
        learning.afterLocal(plan, p.outgoing(), turn.headers(), turn.requestId(), message, generation != null);
        keep(p, message, log); // the message already names its session
        return new EngineReply(200, message, p.lease().id(), Map.of(), route);
    }

    private EngineReply forward(Turn turn, Prepared p, TurnLog log) {
        long start = System.nanoTime();
        UpstreamReply reply;
        try {
            reply = upstream.post("/v1/messages" + turn.query(), p.outgoing(), turn.headers());
        } catch (ShammahException e) {
            metrics.upstream(0, Duration.ofNanos(System.nanoTime() - start));
            throw e;
        }
        metrics.upstream(reply.status(), reply.latency());
        log.upstreamMs = reply.latency().toMillis();
        log.status = reply.status();
        JsonObject body = reply.json();
        if (reply.status() >= 200 && reply.status() < 300) {
            learning.afterForward(p.plan(), p.outgoing(), body, turn.requestId());
            body = record(p, body, log);
        }
        return new EngineReply(reply.status(), body, p.lease().id(), reply.headers(),
                EngineReply.RouteInfo.of(p.plan(), false), reply.latency().toNanos());
    }

    private EngineReply forwardStreamed(Turn turn, Prepared p, EventSink sink, TurnLog log) {
        long start = System.nanoTime();
        EngineReply.RouteInfo route = EngineReply.RouteInfo.of(p.plan(), false);
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
                return new EngineReply(refusal.status(), refusal.json(), p.lease().id(), refusal.headers(), route,
                        refusal.latency().toNanos());
            }
            // Until the upstream's headers arrived, the time was the upstream's.
            sink.open(new EventSink.Head(p.lease().id(), route, stream.headers(), System.nanoTime() - start));
            UpstreamRelay.Result r = UpstreamRelay.pump(stream, sink, turn.requestId());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            metrics.upstream(200, took);
            log.upstreamMs = took.toMillis();
            log.status = r.status();
            JsonObject message = r.assembler().message();
            if (r.whole()) {
                learning.afterForward(p.plan(), p.outgoing(), message, turn.requestId());
                message = record(p, message, log);
            }
            return new EngineReply(r.status(), message, p.lease().id(), stream.headers(), route, took.toNanos());
        }
    }

    /** 96 random bits as hex: a message id names an answer, it guards nothing, so it needs no secure random. */
    private static final HexFormat HEX = HexFormat.of();

    private static String localMessageId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "msg_local_" + HEX.toHexDigits(r.nextLong()) + HEX.toHexDigits(r.nextInt());
    }

    /** Stores a successful turn in its session; returns the response with {@code session_id} added. */
    private JsonObject record(Prepared p, JsonObject response, TurnLog log) {
        keep(p, response, log);
        return Json.createObjectBuilder(response).add("session_id", p.lease().id()).build();
    }

    /** Stores a successful turn in its session, its token counts in the log. */
    private void keep(Prepared p, JsonObject response, TurnLog log) {
        if (response.get("usage") instanceof JsonObject usage) {
            log.inputTokens = longOf(usage, "input_tokens");
            log.outputTokens = longOf(usage, "output_tokens");
        }
        JsonObject assistant = Json.createObjectBuilder()
                .add("role", "assistant")
                .add("content", response.containsKey("content") ? response.get("content") : JsonValue.EMPTY_JSON_ARRAY)
                .build();
        p.lease().record(p.added(), assistant, Math.max(0, log.inputTokens), Math.max(0, log.outputTokens));
    }

    private static long longOf(JsonObject o, String field) {
        return o.get(field) instanceof JsonNumber n ? n.longValue() : -1;
    }
}
