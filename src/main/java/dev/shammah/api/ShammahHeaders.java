package dev.shammah.api;

import java.util.Locale;
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
                res.header(CONFIDENCE, String.format(Locale.ROOT, "%.4f", 1 - Math.max(0, route.wrongRate())));
            }
        }
        if (overheadMs >= 0) {
            res.header(OVERHEAD, String.format(Locale.ROOT, "%.3f", overheadMs));
        }
        if (sessionId != null) {
            res.header(SESSION, sessionId);
        }
    }
}
