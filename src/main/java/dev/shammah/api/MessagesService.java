package dev.shammah.api;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.shammah.engine.Engine;
import dev.shammah.engine.EngineReply;
import dev.shammah.engine.MessagesRequest;
import dev.shammah.engine.TokenCounter;
import dev.shammah.engine.Turn;
import dev.shammah.errors.ShammahException;
import dev.shammah.upstream.ForwardedHeaders;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;

/**
 * {@code POST /v1/messages} (JSON or SSE) and {@code POST /v1/messages/count_tokens}: the HTTP door to the
 * {@link Engine}. Decides nothing about routing.
 */
public final class MessagesService implements HttpService {
    static final HeaderName ANTHROPIC_VERSION = HeaderNames.create("anthropic-version");
    static final HeaderName ANTHROPIC_BETA = HeaderNames.create("anthropic-beta");
    static final HeaderName COUNT_SOURCE = ShammahHeaders.TOKEN_COUNT;
    static final HeaderName ROUTE = ShammahHeaders.ROUTE;

    private final Engine engine;
    private final TokenCounter tokenCounter;
    private final JsonBodies bodies;
    private final MessagesRequest.Limits limits;
    private final RateLimiter limiter;
    private final TurnGate gate;

    public MessagesService(Engine engine, TokenCounter tokenCounter, JsonBodies bodies, MessagesRequest.Limits limits,
                           RateLimiter limiter) {
        this.engine = engine;
        this.tokenCounter = tokenCounter;
        this.bodies = bodies;
        this.limits = limits;
        this.limiter = limiter;
        this.gate = new TurnGate(limiter);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/messages", this::messages)
                .post("/messages/count_tokens", this::countTokens);
    }

    private void messages(ServerRequest req, ServerResponse res) {
        long start = System.nanoTime();
        MessagesRequest request;
        try {
            request = MessagesRequest.parse(bodies.read(req, res), limits);
        } catch (ShammahException e) {
            // Every call gets its log line, refused ones included.
            engine.rejected(RequestId.of(req), e.type().status(), start, e.getMessage());
            throw e;
        }
        Turn turn = gate.admit(req, res, request, forwarded(req), query(req));
        EngineReply reply;
        if (!request.stream()) {
            reply = engine.answer(turn);
            send(req, res, reply);
        } else {
            try (HttpEventSink sink = new HttpEventSink(res, RequestTiming.of(req))) {
                reply = engine.stream(turn, sink);
                RequestTiming.of(req).upstream(reply.upstreamNanos());
                if (!sink.opened()) {
                    // Refused before streaming (400, 429 …): Anthropic answers those as plain JSON too.
                    send(req, res, reply);
                }
            }
        }
        gate.charge(req, reply);
    }

    /**
     * Writes a whole answer. The body is serialized first, so {@code x-shammah-overhead-ms} covers everything
     * Shammah did for it but the write itself (the access log's metric covers that too).
     */
    private static void send(ServerRequest req, ServerResponse res, EngineReply reply) {
        RequestTiming timing = RequestTiming.of(req);
        timing.upstream(reply.upstreamNanos());
        byte[] body = reply.body().toString().getBytes(StandardCharsets.UTF_8);
        ShammahHeaders.apply(res, reply.sessionId(), reply.route(), Map.of(),
                timing.overheadMsNow(reply.upstreamNanos()));
        JsonBodies.send(res, reply.status(), body, reply.headers());
    }

    private void countTokens(ServerRequest req, ServerResponse res) {
        JsonObject body = bodies.read(req, res);
        MessagesRequest.checkCount(body, limits);
        // Counting calls the upstream too: it draws on the same request budget as a message.
        limiter.admit(Caller.of(req).id(), 0).forEach(res::header);
        TokenCounter.Count count = tokenCounter.count(body, forwarded(req), query(req));
        res.header(COUNT_SOURCE, count.source());
        JsonBodies.send(res, count.status(), count.body(), count.headers());
    }

    static ForwardedHeaders forwarded(ServerRequest req) {
        var bearer = bearer(req);
        var apiKey = req.headers().first(HeaderNames.create("x-api-key")).filter(k -> !k.isBlank());
        String key = apiKey.orElseGet(() -> bearer.orElse(null));
        return new ForwardedHeaders(
                forwardable(ANTHROPIC_VERSION, req.headers().first(ANTHROPIC_VERSION).orElse(null)),
                forwardable(ANTHROPIC_BETA, req.headers().first(ANTHROPIC_BETA).orElse(null)),
                key == null || key.isEmpty() ? null : key,
                apiKey.isEmpty() && bearer.isPresent());
    }

    /** The key of an {@code Authorization: Bearer <key>} header, if the request has one. */
    static Optional<String> bearer(ServerRequest req) {
        return req.headers().first(HeaderNames.AUTHORIZATION)
                .filter(a -> a.regionMatches(true, 0, "Bearer ", 0, 7)).map(b -> b.substring(7).trim());
    }

    /**
     * A header value that is passed upstream must be visible ASCII (and spaces): the values Anthropic defines are,
     * and a byte past 0x7F would reach the upstream as {@code ?} — another value than the client sent. Refused
     * with a 400 naming the header, rather than changed.
     */
    static String forwardable(HeaderName name, String value) {
        if (value == null) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c > 0x7E) {
                throw ShammahException.invalid(name.lowerCase() + ": must be ASCII text (it is passed to the "
                        + "upstream as sent)");
            }
        }
        return value;
    }

    /** {@code x-shammah-route: local|forward} forces a route for one request (the CLI's --local/--forward). */
    static Turn.Route route(ServerRequest req) {
        String v = req.headers().first(ROUTE).orElse("auto").trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "local" -> Turn.Route.LOCAL;
            case "forward" -> Turn.Route.FORWARD;
            case "auto", "" -> Turn.Route.AUTO;
            default -> throw ShammahException.invalid("x-shammah-route: must be local, forward or auto");
        };
    }

    /** The client's query string, kept for the upstream ({@code ?beta=true} from Claude Code). */
    static String query(ServerRequest req) {
        String raw = req.query().rawValue();
        return raw == null || raw.isEmpty() ? "" : "?" + raw;
    }
}
