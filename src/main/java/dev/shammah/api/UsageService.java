package dev.shammah.api;

import java.time.Instant;
import java.util.Optional;

import dev.shammah.errors.ShammahException;
import dev.shammah.metrics.Budgets;
import dev.shammah.metrics.Usage;
import dev.shammah.metrics.UsageReport;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /admin/usage?tenant=&model=&from=&to=} (an admin key, like every {@code /admin} route): totals, per
 * tenant totals, and the hourly rows of {@link Usage}, filtered by exact tenant and model and by time —
 * {@code from} inclusive, {@code to} exclusive, each an instant ({@code 2026-12-06T10:00:00Z}) or a UTC date
 * ({@code 2026-12-06}: from its start; as {@code to}, through its end). A tenant with a teacher budget shows where
 * it stands in the current period ({@link Budgets}).
 */
public final class UsageService implements HttpService {
    private final Usage usage;
    private final Budgets budgets;

    public UsageService(Usage usage, Budgets budgets) {
        this.usage = usage;
        this.budgets = budgets;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/usage", this::usage);
    }

    private void usage(ServerRequest req, ServerResponse res) {
        Optional<String> tenant = req.query().first("tenant").asOptional();
        Optional<String> model = req.query().first("model").asOptional();
        Instant from = time(req, "from", false);
        Instant to = time(req, "to", true);
        if (from != null && to != null && !from.isBefore(to)) {
            throw ShammahException.invalid("from must be before to");
        }
        JsonBodies.send(res, UsageReport.of(usage, budgets, tenant.orElse(null), model.orElse(null), from, to));
    }

    private static Instant time(ServerRequest req, String name, boolean end) {
        return UsageReport.time(name, req.query().first(name).asOptional().orElse(null), end);
    }
}
