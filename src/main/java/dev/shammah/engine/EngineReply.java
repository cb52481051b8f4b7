package dev.shammah.engine;

import java.util.Map;

import jakarta.json.JsonObject;

/**
 * The answer to a {@link Turn}: a Messages API response (or the upstream's error) to hand to the client, and
 * how it was routed. The doors (HTTP, terminal) decide how to show the route; the engine names no header.
 *
 * @param status     HTTP status
 * @param body       response JSON; on success it carries {@code session_id}
 * @param sessionId  the session the turn was recorded in
 * @param headers    the upstream's headers to pass on (request id, retry-after, rate limits …)
 * @param route      how it was routed
 * @param upstreamNanos how long the upstream took to answer (a stream: until its last event), or -1 when it was
 *                      not called; the door subtracts it from the time it saw to report Shammah's own
 */
public record EngineReply(int status, JsonObject body, String sessionId, Map<String, String> headers, RouteInfo route,
                          long upstreamNanos) {
    public EngineReply {
        headers = Map.copyOf(headers);
    }

    public EngineReply(int status, JsonObject body, String sessionId, Map<String, String> headers, RouteInfo route) {
        this(status, body, sessionId, headers, route, -1);
    }

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /**
     * How a turn was routed.
     *
     * @param route     {@code local} or {@code forward}
     * @param reason    the router's reason ({@code same}, {@code wrapped}, {@code no-candidate} …)
     * @param match     {@code same} or {@code wrapped} when a local answer replayed a stored one; else null
     * @param wrongRate estimated chance the local answer is wrong (0 for the same request); -1 when forwarded
     */
    public record RouteInfo(String route, String reason, String match, double wrongRate) {
        public static final String LOCAL = "local";
        public static final String FORWARD = "forward";

        static RouteInfo of(Plan plan, boolean local) {
            var d = plan == null ? null : plan.decision();
            if (local) {
                return new RouteInfo(LOCAL, d.reason(), d.match(), d.candidate() == null ? 0 : d.wrongRate());
            }
            return new RouteInfo(FORWARD, d == null ? null : d.reason(), null, -1);
        }

        public boolean isLocal() {
            return LOCAL.equals(route);
        }
    }
}
