package dev.shammah.cli;

import dev.shammah.engine.EngineReply;
import dev.shammah.engine.EventSink;
import dev.shammah.engine.Turn;
import jakarta.json.JsonObject;

/** Where the terminal modes get answers: the engine in this process, or a running daemon over HTTP. */
interface Answerer {
    /**
     * Answers one Messages request body; with a {@code sink} it streams into it (and the reply carries the
     * assembled message), without one it returns the whole answer.
     */
    EngineReply answer(JsonObject body, Turn.Route route, EventSink sink);

    /** Local vs forwarded answers so far, for the REPL's footer and /metrics; null when unknown (daemon). */
    default long[] routeCounts() {
        return null;
    }
}
