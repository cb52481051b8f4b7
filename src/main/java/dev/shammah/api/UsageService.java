package dev.shammah.api;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import dev.shammah.errors.ShammahException;
import dev.shammah.json.Json;
import dev.shammah.metrics.Budgets;
import dev.shammah.metrics.Usage;
import dev.shammah.metrics.UsageFiles;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;

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
        Predicate<Usage.Key> filter = k -> tenant.map(k.tenant()::equals).orElse(true)
                && model.map(k.model()::equals).orElse(true)
                && (from == null || !k.hour().isBefore(from)) && (to == null || k.hour().isBefore(to));
        List<Usage.Row> rows = usage.rows(filter);
        Map<String, List<Usage.Row>> byTenant = new LinkedHashMap<>();
        rows.stream().sorted(java.util.Comparator.comparing(r -> r.key().tenant()))
                .forEach(r -> byTenant.computeIfAbsent(r.key().tenant(), t -> new java.util.ArrayList<>()).add(r));
        JsonArrayBuilder tenants = Json.createArrayBuilder();
        byTenant.forEach((t, list) -> {
            JsonObjectBuilder o = totals(Usage.total(new Usage.Key(null, t, null), list)).add("tenant", t);
            Budgets.State b = budgets.state(t);
            if (b != null) {
                o.add("budget", Json.createObjectBuilder().add("dollars", b.budget().dollars())
                        .add("period", b.budget().period().key()).add("since", b.since().toString())
                        .add("until", b.until().toString()).add("spent_usd", b.spentDollars())
                        .add("state", b.state()));
            }
            tenants.add(o);
        });
        JsonArrayBuilder hours = Json.createArrayBuilder();
        rows.forEach(r -> hours.add(UsageFiles.json(r)));
        JsonObjectBuilder body = Json.createObjectBuilder()
                .add("totals", totals(Usage.total(new Usage.Key(null, null, null), rows)))
                .add("tenants", tenants)
                .add("hours", hours);
        if (from != null) {
            body.add("from", from.toString());
        }
        if (to != null) {
            body.add("to", to.toString());
        }
        JsonBodies.send(res, body.build());
    }

    /** A sum of rows, without the key fields, with the local share. */
    private static JsonObjectBuilder totals(Usage.Row r) {
        JsonObjectBuilder b = UsageFiles.json(new Usage.Row(new Usage.Key(Instant.EPOCH, "", ""), r.requests(),
                r.local(), r.forwarded(), r.refused(), r.teacherInputTokens(), r.teacherOutputTokens(),
                r.savedInputTokens(), r.savedOutputTokens(), r.spentMicros(), r.savedMicros()));
        b.remove("hour");
        b.remove("tenant");
        b.remove("model");
        long answered = r.localTotal() + r.forwarded();
        return b.add("local_share", answered == 0 ? 0 : (double) r.localTotal() / answered);
    }

    private static Instant time(ServerRequest req, String name, boolean end) {
        Optional<String> v = req.query().first(name).asOptional();
        if (v.isEmpty() || v.get().isBlank()) {
            return null;
        }
        String s = v.get().trim();
        try {
            if (s.length() == 10) {
                Instant day = LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
                return end ? day.plus(1, ChronoUnit.DAYS) : day;
            }
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw ShammahException.invalid(name + " must be an instant such as 2026-12-06T10:00:00Z or a date such "
                    + "as 2026-12-06");
        }
    }
}
