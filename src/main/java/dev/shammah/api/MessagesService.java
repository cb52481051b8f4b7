package dev.shammah.api;

import dev.shammah.engine.Engine;
import dev.shammah.engine.EngineReply;
import dev.shammah.engine.MessagesRequest;
import dev.shammah.engine.Turn;
import dev.shammah.errors.ShammahException;
import dev.shammah.upstream.ForwardedHeaders;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code POST /v1/messages}: the HTTP door to the {@link Engine}. Decides nothing about routing. */
public final class MessagesService implements HttpService {
    static final HeaderName ANTHROPIC_VERSION = HeaderNames.create("anthropic-version");
    static final HeaderName ANTHROPIC_BETA = HeaderNames.create("anthropic-beta");
    static final HeaderName SESSION_HEADER = HeaderNames.create("x-shammah-session-id");

    private final Engine engine;
    private final JsonBodies bodies;

    public MessagesService(Engine engine, JsonBodies bodies) {
        this.engine = engine;
        this.bodies = bodies;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/messages", this::messages);
    }

    private void messages(ServerRequest req, ServerResponse res) {
        long start = System.nanoTime();
        MessagesRequest request;
        try {
            request = MessagesRequest.parse(bodies.read(req));
            if (request.stream()) {
                throw ShammahException.invalid("stream: streaming responses are not available in this build; "
                        + "send \"stream\": false");
            }
        } catch (ShammahException e) {
            // Every call gets its log line, refused ones included.
            engine.rejected(RequestId.of(req), e.type().status(), start);
            throw e;
        }
        ForwardedHeaders headers = new ForwardedHeaders(
                req.headers().first(ANTHROPIC_VERSION).orElse(null),
                req.headers().first(ANTHROPIC_BETA).orElse(null));
        EngineReply reply = engine.answer(new Turn(request, headers, RequestId.of(req)));
        res.header(SESSION_HEADER, reply.sessionId() == null ? "" : reply.sessionId());
        JsonBodies.send(res, reply.status(), reply.body(), reply.headers());
    }
}
