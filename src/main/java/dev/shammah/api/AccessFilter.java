package dev.shammah.api;

import java.time.Duration;
import java.time.Instant;

import dev.shammah.errors.ErrorType;
import dev.shammah.metrics.AuditLog;
import dev.shammah.metrics.ShammahMetrics;
import io.helidon.http.HeaderName;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Runs around every request: gives it a {@code request-id} (header and context), counts it by route and final
 * status in /metrics, and writes the audit line for API and admin calls.
 */
public final class AccessFilter {
    private static final HeaderName SESSION = ShammahHeaders.SESSION;
    private static final HeaderName ROUTE = ShammahHeaders.ROUTE;

    private final ShammahMetrics metrics;
    private final AuditLog audit;
    private volatile boolean draining;

    /** @param audit the audit log, or null when {@code server.audit-log} is off */
    public AccessFilter(ShammahMetrics metrics, AuditLog audit) {
        this.metrics = metrics;
        this.audit = audit;
    }

    /**
     * Shutdown, first half: new API requests are refused with 503 while those in flight (open streams
     * included) run on; returns when none is left or {@code timeout} has passed.
     */
    public boolean drain(Duration timeout) {
        draining = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (metrics.requestsInFlight() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return metrics.requestsInFlight() == 0;
    }

    /** Whether a drain has started. */
    public boolean draining() {
        return draining;
    }

    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        RequestTiming timing = new RequestTiming(start);
        req.context().register(timing);
        RequestId id = RequestId.generate();
        req.context().register(id);
        res.header(ErrorResponses.REQUEST_ID, id.value());
        if (draining && req.prologue().uriPath().path().startsWith("/v1/")) {
            ErrorResponses.send(req, res, ErrorType.UNAVAILABLE, "Shammah is shutting down; "
                    + "retry on another instance or in a moment");
            return;
        }
        metrics.requestStarted();
        try {
            chain.proceed();
        } finally {
            String path = req.prologue().uriPath().path();
            String route = RouteLabel.of(path);
            long took = System.nanoTime() - start;
            metrics.request(route, req.prologue().method().text(), res.status().code(), Duration.ofNanos(took));
            if (timing.upstreamNanos() >= 0) {
                // Shammah's own time for a forwarded request: its whole time here, the write of the last byte
                // included, minus the upstream's.
                metrics.addedLatency(Duration.ofNanos(Math.max(0, took - timing.upstreamNanos())));
            }
            if (audit != null && (path.startsWith("/v1/") || path.startsWith("/admin/"))) {
                audit.append(new AuditLog.Entry(Instant.now(), id.value(), Caller.of(req).id(),
                        req.prologue().method().text(), route.equals("other") ? path : route,
                        res.headers().first(SESSION).orElse(null), res.headers().first(ROUTE).orElse(null),
                        res.status().code(), ContentLength.of(req.headers()),
                        ContentLength.of(res.headers())));
            }
            // Last: a drain that sees zero in flight must also see every log line written.
            metrics.requestEnded();
        }
    }
}
