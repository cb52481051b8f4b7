package dev.shammah.api;

import dev.shammah.engine.Turn;
import io.helidon.webserver.http.ServerRequest;

/**
 * Who sent a request: a key id ({@code key_…}, never the key) when auth is on, else the client's address.
 * Sessions belong to it and rate limits count per it; what it learns belongs to its tenant.
 *
 * @param id            key id or {@code ip:<address>}
 * @param authenticated whether it presented a valid key
 * @param tenant        whose learning its requests use and feed ({@link Tenants})
 * @param admin         whether it may force local answers (an admin key, or auth off)
 */
public record Caller(String id, boolean authenticated, String tenant, boolean admin) {
    public static Caller of(ServerRequest req) {
        return req.context().get(Caller.class).orElseGet(() -> new Caller("ip:" + req.remotePeer().host(), false,
                Turn.LOCAL_TENANT, true));
    }

    /** The session owner to enforce: only authenticated callers own sessions. */
    public String owner() {
        return authenticated ? id : null;
    }
}
