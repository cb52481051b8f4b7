package dev.shammah.api;

import java.util.List;
import java.util.Locale;

import dev.shammah.engine.CacheControl;
import dev.shammah.errors.ErrorType;
import dev.shammah.errors.ShammahException;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

/**
 * A request's wishes about the store, from the header a client of any caching proxy already sends
 * ({@code Cache-Control}, RFC 9111 §5.2.1): {@code no-cache} (and {@code max-age=0}) — do not answer from the
 * store without asking the origin: forward, and still learn; {@code no-store} — keep nothing: forward, and learn
 * nothing. Other directives, and values this does not understand, are ignored, as the RFC asks of a cache.
 * (LiteLLM spells the same per request as {@code cache: {"no-cache": true}} / {@code {"no-store": true}}, Bifrost
 * as {@code x-bf-cache-*} headers: docs/DAEMON_MODE.md maps them.)
 *
 * <p>And one of Shammah's own, named after Bifrost's {@code x-bf-cache-type: direct|semantic}:
 * {@code x-shammah-cache-type: exact} (or {@code direct}) lets the same request be answered from the store but not
 * other words ({@code any}, the default, lets both). Any other value is refused with a 400: a client that asked for
 * exact reuse only and was not understood must not be served a rewording.
 */
final class CacheHeaders {
    static final HeaderName CACHE_TYPE = HeaderNames.create("x-shammah-cache-type");

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
        CacheControl c = noStore ? CacheControl.NO_STORE : noCache ? CacheControl.NO_CACHE : CacheControl.ANY;
        return exactOnly(req) ? c.exact() : c;
    }

    private static boolean exactOnly(ServerRequest req) {
        List<String> values = req.headers().all(CACHE_TYPE, List::of);
        boolean exact = false;
        for (String value : values) {
            switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "exact", "direct" -> exact = true;
                case "any" -> { }
                default -> throw new ShammahException(ErrorType.INVALID_REQUEST, CACHE_TYPE.defaultCase()
                        + " must be exact (the same request only) or any (also other words); got '"
                        + RequestGuard.printable(value) + "'");
            }
        }
        return exact;
    }
}
