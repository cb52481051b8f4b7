package dev.shammah.api;

import java.time.Duration;

import dev.shammah.metrics.ShammahMetrics;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Runs around every request: gives it a {@code request-id} (header and context) and counts it, by route
 * and final status, in /metrics.
 */
public final class AccessFilter {
    private final ShammahMetrics metrics;

    public AccessFilter(ShammahMetrics metrics) {
        this.metrics = metrics;
    }

    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        RequestId id = RequestId.generate();
        req.context().register(id);
        res.header(ErrorResponses.REQUEST_ID, id.value());
        try {
            chain.proceed();
        } finally {
            metrics.request(RouteLabel.of(req.prologue().uriPath().path()), req.prologue().method().text(),
                    res.status().code(), Duration.ofNanos(System.nanoTime() - start));
        }
    }
}
