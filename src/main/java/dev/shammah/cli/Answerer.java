package dev.shammah.cli;

import dev.shammah.engine.EngineReply;
import dev.shammah.engine.EventSink;
import dev.shammah.engine.Turn;
import jakarta.json.JsonObject;

/**
 * Where the terminal modes get answers and the figures the REPL shows: the engine in this process, or the
 * daemon that owns the data dir, over HTTP. The REPL depends on nothing else.
 */
interface Answerer {
    /**
     * Answers one Messages request body; with a {@code sink} it streams into it (and the reply carries the
     * assembled message), without one it returns the whole answer.
     */
    EngineReply answer(JsonObject body, Turn.Route route, EventSink sink);

    /** Local vs forwarded answers so far (of this process, or the daemon's since it started); null if unknown. */
    long[] routeCounts();

    /** Estimated teacher dollars saved by local answers so far, or NaN when unknown. */
    double dollarsSaved();

    /**
     * The kept usage report ({@code GET /admin/usage}: totals across restarts, per tenant), or null where it cannot
     * be had (a daemon that needs an admin key this terminal does not have).
     */
    JsonObject usage();

    /** One line about a session: turns, messages, tokens — or that it expired. */
    String describeSession(String sessionId);

    /** What the learning core has learned, for {@code /training}. */
    String training();

    /** The local models, for {@code /model}. */
    String models();

    /** Where answers come from, for the REPL's banner: "in-process" or the daemon's address. */
    String where();
}
