package dev.shammah.api;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;

/**
 * A message's {@code Content-Length}, read as text. Helidon's typed {@code Headers.contentLength()} looks its value
 * mapper up in the service registry on every call; on a local answer that lookup (twice, for the access log) cost
 * more than the whole exact-match route decision.
 */
final class ContentLength {
    private ContentLength() {
    }

    /** The declared length, or -1 when there is none (or it is not a number: the HTTP layer refuses those). */
    static long of(Headers headers) {
        String v = headers.first(HeaderNames.CONTENT_LENGTH).orElse(null);
        if (v == null) {
            return -1;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
