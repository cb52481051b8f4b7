package dev.shammah.api;

import dev.shammah.engine.EngineReply;
import dev.shammah.engine.MessagesRequest;
import dev.shammah.engine.TokenEstimator;
import dev.shammah.engine.Turn;
import dev.shammah.upstream.ForwardedHeaders;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;

/**
 * What every door to the engine does around a checked request, whatever its wire format: admits it against the
 * caller's rate limits (their headers on the response), makes the {@link Turn} (caller, tenant, forced route, cache
 * controls), and charges the answer's output tokens to the caller afterwards.
 */
final class TurnGate {
    private final RateLimiter limiter;

    TurnGate(RateLimiter limiter) {
        this.limiter = limiter;
    }

    /**
     * @param headers what the upstream is to see of the client's headers
     * @param query   the client's query string for the upstream, "" for none
     * @throws dev.shammah.errors.ShammahException 429 over a rate limit, 400 for a bad {@code x-shammah-route}
     */
    Turn admit(ServerRequest req, ServerResponse res, MessagesRequest request, ForwardedHeaders headers,
               String query) {
        Caller caller = Caller.of(req);
        limiter.admit(caller.id(), TokenEstimator.estimate(request.body())).forEach(res::header);
        return new Turn(request, headers, RequestId.of(req), query, MessagesService.route(req), caller.owner(),
                caller.tenant(), caller.admin(), caller.id(), CacheHeaders.of(req));
    }

    /** Charges the answer's output tokens (a Messages response's, as the engine returns it) to its caller. */
    void charge(ServerRequest req, EngineReply reply) {
        if (reply.body().get("usage") instanceof JsonObject usage && usage.get("output_tokens") instanceof JsonNumber out) {
            limiter.charge(Caller.of(req).id(), out.longValue());
        }
    }
}
