package dev.shammah.api;

import java.util.List;
import java.util.Locale;

import dev.shammah.engine.CacheControl;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

/**
 * A request's wishes about the store, from the header a client of any caching proxy already sends
 * ({@code Cache-Control}, RFC 9111 §5.2.1): {@code no-cache} (and {@code max-age=0}) — do not answer from the
 * store without asking the origin: forward, and still learn; {@code no-store} — keep nothing: forward, and learn
 * nothing. Other directives, and values this does not understand, are ignored, as the RFC asks of a cache.
 * (LiteLLM spells the same per request as {@code cache: {"no-cache": true}} / {@code {"no-store": true}}, Bifrost
 * as {@code x-bf-cache-*} headers: docs/DAEMON_MODE.md maps them.)
 */
final class CacheHeaders {
    private CacheHeaders() {
    }

    static CacheControl of(ServerRequest req) {
        boolean noCache = false;
        boolean noStore = false;
        for (String value : req.headers().all(HeaderNames.CACHE_CONTROL, List::of)) {
            for (String directive : value.split(",")) {
                String d = directive.trim().toLowerCase(Locale.ROOT);
                noCache |= d.equals("no-cache") || d.equals("max-age=0");
                noStore |= d.equals("no-store");
            }
        }
        return noStore ? CacheControl.NO_STORE : noCache ? CacheControl.NO_CACHE : CacheControl.ANY;
    }
}
