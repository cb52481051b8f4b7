package dev.shammah.engine;

import dev.shammah.upstream.ForwardedHeaders;

/**
 * One request for an answer, from any door (HTTP, query, REPL).
 *
 * @param request       the checked request
 * @param headers       client headers to pass upstream
 * @param requestId     our request id, for logs
 * @param query         the client's query string ({@code ?beta=true} from Claude Code), forwarded as is; "" if none
 * @param route         a route the person forced ({@code /local}, {@code --forward}), or {@link Route#AUTO}
 * @param owner         the authenticated client the session must belong to, or null when auth is off
 * @param tenant        whose learning the request may use and feed ({@link #LOCAL_TENANT} when auth is off)
 * @param mayForceLocal whether {@link Route#LOCAL} is honoured (admin keys, or auth off)
 * @param client        who asks (key id, or {@code ip:…} with auth off): what per-client session limits count
 * @param cache         what the client lets the store do with it ({@code Cache-Control})
 */
public record Turn(MessagesRequest request, ForwardedHeaders headers, String requestId, String query, Route route,
                   String owner, String tenant, boolean mayForceLocal, String client, CacheControl cache) {
    /** The tenant of everything sent with auth off (and of the terminal in-process). */
    public static final String LOCAL_TENANT = "default";

    public Turn(MessagesRequest request, ForwardedHeaders headers, String requestId) {
        this(request, headers, requestId, "", Route.AUTO, null, LOCAL_TENANT, true, "local", CacheControl.ANY);
    }

    public Turn(MessagesRequest request, ForwardedHeaders headers, String requestId, String query) {
        this(request, headers, requestId, query, Route.AUTO, null, LOCAL_TENANT, true, "local", CacheControl.ANY);
    }

    /** Who chooses the route: the router, or the person. */
    public enum Route {
        AUTO, LOCAL, FORWARD
    }
}
