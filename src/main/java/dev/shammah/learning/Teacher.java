package dev.shammah.learning;

import java.util.Optional;

import dev.shammah.upstream.ForwardedHeaders;
import jakarta.json.JsonObject;

/** Asks the teacher for an answer off any request's path: how a served local answer is verified. */
@FunctionalInterface
public interface Teacher {
    /**
     * The teacher's complete answer to {@code body} (sent unstreamed), or empty if it could not be had — or may not:
     * the call is {@code tenant}'s teacher spend, and a tenant whose budget is spent is not checked at all.
     */
    Optional<JsonObject> ask(String tenant, JsonObject body, ForwardedHeaders headers);
}
