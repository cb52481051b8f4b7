package dev.shammah.api;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

import dev.shammah.engine.Engine;
import dev.shammah.engine.EngineReply;
import dev.shammah.engine.EventSink;
import dev.shammah.engine.MessagesRequest;
import dev.shammah.engine.Turn;
import dev.shammah.errors.ShammahException;
import dev.shammah.openai.ChatRequest;
import dev.shammah.openai.ChatResponse;
import dev.shammah.openai.ChunkTranslator;
import dev.shammah.openai.OpenAiErrors;
import dev.shammah.upstream.ForwardedHeaders;
import dev.shammah.upstream.SseEvent;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonObject;

/**
 * {@code POST /v1/chat/completions}: OpenAI-format clients in front of the same {@link Engine} — the request
 * translated into a Messages request ({@link ChatRequest}), answered as any other (same tenants, learning and local
 * answers, the same {@code x-shammah-*} headers), and the answer translated back ({@link ChatResponse},
 * {@link ChunkTranslator}); errors in OpenAI's shape ({@link ErrorResponses}, {@link OpenAiErrors}).
 */
public final class ChatCompletionsService implements HttpService {
    private final Engine engine;
    private final JsonBodies bodies;
    private final MessagesRequest.Limits limits;
    private final TurnGate gate;
    private final Clock clock;

    public ChatCompletionsService(Engine engine, JsonBodies bodies, MessagesRequest.Limits limits,
                                  RateLimiter limiter, Clock clock) {
        this.engine = engine;
        this.bodies = bodies;
        this.limits = limits;
        this.gate = new TurnGate(limiter);
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/chat/completions", this::complete);
    }

    private void complete(ServerRequest req, ServerResponse res) {
        long start = System.nanoTime();
        ChatRequest chat;
        MessagesRequest request;
        try {
            chat = ChatRequest.translate(bodies.read(req, res), limits.maxTokensRequested());
            request = MessagesRequest.parse(chat.body(), limits);
        } catch (ShammahException e) {
            engine.rejected(RequestId.of(req), e.type().status(), start, e.getMessage());
            throw e;
        }
        Turn turn = gate.admit(req, res, request, forwarded(req), "");
        long created = clock.instant().getEpochSecond();
        EngineReply reply;
        if (!request.stream()) {
            reply = engine.answer(turn);
            send(req, res, reply, request.model(), created);
        } else {
            try (HttpEventSink http = new HttpEventSink(res, RequestTiming.of(req))) {
                reply = engine.stream(turn, new Chunks(http, new ChunkTranslator(request.model(), created,
                        chat.includeUsage())));
                RequestTiming.of(req).upstream(reply.upstreamNanos());
                if (!http.opened()) {
                    send(req, res, reply, request.model(), created);
                }
            }
        }
        gate.charge(req, reply);
    }

    /**
     * The client's key goes upstream (with {@code upstream.forward-client-key}) as {@code x-api-key}: an OpenAI
     * client sends its key as a Bearer token, but what it holds for Claude is an Anthropic API key. Its query
     * string and any {@code anthropic-*} headers are not the upstream's business.
     */
    private static ForwardedHeaders forwarded(ServerRequest req) {
        ForwardedHeaders h = MessagesService.forwarded(req);
        return new ForwardedHeaders(null, null, h.clientKey(), false);
    }

    private static void send(ServerRequest req, ServerResponse res, EngineReply reply, String model, long created) {
        RequestTiming timing = RequestTiming.of(req);
        timing.upstream(reply.upstreamNanos());
        JsonObject body = reply.ok() ? ChatResponse.of(reply.body(), model, created)
                : OpenAiErrors.fromAnthropic(reply.body(), reply.status());
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        ShammahHeaders.apply(res, reply.sessionId(), reply.route(), Map.of(),
                timing.overheadMsNow(reply.upstreamNanos()));
        JsonBodies.send(res, reply.ok() ? reply.status() : OpenAiErrors.status(reply.status()), bytes,
                reply.headers());
    }

    /** The engine's Claude events, sent as OpenAI chunks. */
    private record Chunks(HttpEventSink http, ChunkTranslator translator) implements EventSink {
        @Override
        public void open(Head head) {
            http.open(head);
        }

        @Override
        public void send(SseEvent event) {
            for (String data : translator.translate(event.event(), event.data())) {
                http.send(new SseEvent("", data));
            }
        }
    }
}
