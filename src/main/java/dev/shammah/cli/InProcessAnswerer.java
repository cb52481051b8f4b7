package dev.shammah.cli;

import dev.shammah.api.RequestId;
import dev.shammah.engine.Engine;
import dev.shammah.engine.EngineReply;
import dev.shammah.engine.EventSink;
import dev.shammah.engine.MessagesRequest;
import dev.shammah.engine.Turn;
import dev.shammah.upstream.ForwardedHeaders;
import jakarta.json.JsonObject;

/** The engine in this process: the same router, models, upstream and request log as the daemon. */
final class InProcessAnswerer implements Answerer {
    private final Engine engine;

    InProcessAnswerer(Engine engine) {
        this.engine = engine;
    }

    @Override
    public EngineReply answer(JsonObject body, Turn.Route route, EventSink sink) {
        // The person at this terminal owns the machine: the local tenant, and free to force a local answer.
        Turn turn = new Turn(MessagesRequest.parse(body), ForwardedHeaders.NONE, RequestId.generate().value(), "",
                route, null, Turn.LOCAL_TENANT, true);
        return sink == null ? engine.answer(turn) : engine.stream(turn, sink);
    }

    @Override
    public long[] routeCounts() {
        return engine.learning().routeCounts();
    }
}
