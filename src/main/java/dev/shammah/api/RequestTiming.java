package dev.shammah.api;

import io.helidon.webserver.http.ServerRequest;

/**
 * When the server first saw a request (its headers read, before the body) and how long the upstream took to
 * answer it, for {@code x-shammah-overhead-ms} and {@code shammah_added_latency_seconds}: Shammah's own time is
 * everything from the first to the last byte it handled, minus the upstream's.
 */
final class RequestTiming {
    private final long startNanos;
    private volatile long upstreamNanos = -1;

    RequestTiming(long startNanos) {
        this.startNanos = startNanos;
    }


    static RequestTiming of(ServerRequest req) {
        return req.context().get(RequestTiming.class).orElseGet(() -> new RequestTiming(System.nanoTime()));
    }

    /** Records the upstream's time for this request (-1: it made no upstream call). */
    void upstream(long nanos) {
        upstreamNanos = nanos;
    }

    long upstreamNanos() {
        return upstreamNanos;
    }

    /** Shammah's time so far, in ms, given the upstream's share of it (-1 when the upstream was not called). */
    double overheadMsNow(long upstreamNanos) {
        if (upstreamNanos < 0) {
            return -1;
        }
        return Math.max(0, System.nanoTime() - startNanos - upstreamNanos) / 1e6;
    }

}
