package dev.shammah.api;

import java.util.Map;

import dev.shammah.engine.EngineReply;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;

/** The one set of Shammah's own header names, and how a reply's route becomes headers. */
public final class ShammahHeaders {
    public static final HeaderName ROUTE = HeaderNames.create("x-shammah-route");
    public static final HeaderName SESSION = HeaderNames.create("x-shammah-session-id");
    public static final HeaderName MATCH = HeaderNames.create("x-shammah-match");
    /** Why the route was taken: the router's reason ({@code same}, {@code wrapped}, {@code reworded}, {@code no-candidate} …). */
    public static final HeaderName REASON = HeaderNames.create("x-shammah-reason");
    public static final HeaderName CONFIDENCE = HeaderNames.create("x-shammah-confidence");
    public static final HeaderName OVERHEAD = HeaderNames.create("x-shammah-overhead-ms");
    public static final HeaderName TOKEN_COUNT = HeaderNames.create("x-shammah-token-count");

    private ShammahHeaders() {
    }

    /** The upstream's headers, then the route, its reason, match, confidence, overhead and session. */
    static void apply(ServerResponse res, String sessionId, EngineReply.RouteInfo route, Map<String, String> upstream,
                      double overheadMs) {
        upstream.forEach(res::header);
        if (route != null) {
            res.header(ROUTE, route.route());
            if (route.reason() != null) {
                res.header(REASON, route.reason());
            }
            if (route.isLocal()) {
                if (route.match() != null) {
                    res.header(MATCH, route.match());
                }
                res.header(CONFIDENCE, fixed(1 - Math.max(0, route.wrongRate()), 4));
            }
        }
        if (overheadMs >= 0) {
            res.header(OVERHEAD, fixed(overheadMs, 3));
        }
        if (sessionId != null) {
            res.header(SESSION, sessionId);
        }
    }

    /**
     * A non-negative number with {@code decimals} places, rounded half up: what {@code %.Nf} prints for these
     * values, without a Formatter on every response.
     */
    static String fixed(double value, int decimals) {
        long scale = (long) Math.pow(10, decimals);
        long units = Math.round(Math.max(0, value) * scale);
        String digits = Long.toString(units % scale);
        return (units / scale) + "." + "0".repeat(decimals - digits.length()) + digits;
    }
}
