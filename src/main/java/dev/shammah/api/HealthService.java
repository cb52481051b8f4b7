package dev.shammah.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.shammah.session.Sessions;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import dev.shammah.json.Json;
import jakarta.json.JsonObjectBuilder;

/**
 * {@code GET /health}: the product's own summary ({@code status}, {@code uptime_seconds},
 * {@code active_sessions}) plus the result of every Helidon health check. Only liveness checks decide
 * {@code status}; readiness checks such as upstream reachability are reported but do not make the server
 * unhealthy — except a drain, which answers 503 {@code "draining"} so balancers stop sending. Helidon's standard endpoints ({@code /health/checks/live}, {@code /health/checks/ready}) serve
 * the same checks for orchestrators.
 */
public final class HealthService implements HttpService {
    private final Sessions sessions;
    private final Instant startedAt;
    private final Clock clock;
    private final List<HealthCheck> checks;

    public HealthService(Sessions sessions, Instant startedAt, Clock clock, List<HealthCheck> checks) {
        this.sessions = sessions;
        this.startedAt = startedAt;
        this.clock = clock;
        this.checks = List.copyOf(checks);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::health);
    }

    private void health(ServerRequest req, ServerResponse res) {
        boolean live = true;
        boolean draining = false;
        JsonObjectBuilder results = Json.createObjectBuilder();
        for (HealthCheck check : checks) {
            HealthCheckResponse r = check.call();
            draining |= check instanceof DrainingCheck d && d.draining();
            if (check.type() == HealthCheckType.LIVENESS && r.status() != HealthCheckResponse.Status.UP) {
                live = false;
            }
            JsonObjectBuilder one = Json.createObjectBuilder()
                    .add("type", check.type().name().toLowerCase(Locale.ROOT))
                    .add("status", r.status().name());
            r.details().forEach((k, v) -> one.add(k, String.valueOf(v)));
            results.add(check.name(), one);
        }
        long uptime = Duration.between(startedAt, clock.instant()).toSeconds();
        JsonBodies.send(res, live && !draining ? 200 : 503, Json.createObjectBuilder()
                .add("status", draining ? "draining" : live ? "healthy" : "unhealthy")
                .add("uptime_seconds", uptime)
                .add("active_sessions", sessions.size())
                .add("checks", results)
                .build(), Map.of());
    }
}
