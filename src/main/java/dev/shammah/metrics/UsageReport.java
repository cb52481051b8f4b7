package dev.shammah.metrics;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.shammah.errors.ShammahException;
import dev.shammah.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * The usage report {@code GET /admin/usage} answers and {@code shammah usage} prints: totals, per-tenant totals
 * (with where each tenant stands in its budget) and the hourly rows of {@link Usage} that match a filter — of every
 * instance sharing a store; {@code partial} says why the others' are missing when they are.
 */
public final class UsageReport {
    private UsageReport() {
    }

    /**
     * @param tenant exact tenant, or null for all
     * @param model  exact model, or null for all
     * @param from   first hour included, or null
     * @param to     first hour excluded, or null
     */
    public static JsonObject of(Usage usage, Budgets budgets, String tenant, String model, Instant from, Instant to) {
        Usage.Everywhere seen = usage.everywhere(new Usage.Filter(tenant, model, from, to));
        List<Usage.Row> rows = seen.rows();
        Map<String, List<Usage.Row>> byTenant = new LinkedHashMap<>();
        rows.stream().sorted(Comparator.comparing(r -> r.key().tenant()))
                .forEach(r -> byTenant.computeIfAbsent(r.key().tenant(), t -> new ArrayList<>()).add(r));
        JsonArrayBuilder tenants = Json.createArrayBuilder();
        byTenant.forEach((t, list) -> {
            JsonObjectBuilder o = totals(Usage.total(list)).add("tenant", t);
            Budgets.State b = budgets == null ? null : budgets.state(t);
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
                .add("totals", totals(Usage.total(rows)))
                .add("tenants", tenants)
                .add("hours", hours);
        if (from != null) {
            body.add("from", from.toString());
        }
        if (to != null) {
            body.add("to", to.toString());
        }
        if (seen.problem() != null) {
            body.add("partial", seen.problem());
        }
        return body.build();
    }

    /**
     * A time a filter was given: an instant ({@code 2026-12-06T10:00:00Z}) or a UTC date ({@code 2026-12-06}: its
     * start, or with {@code end} the start of the next day); null for none.
     *
     * @throws ShammahException 400 for anything else
     */
    public static Instant time(String name, String value, boolean end) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String s = value.trim();
        try {
            if (s.length() == 10) {
                Instant day = LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
                return end ? day.plus(1, ChronoUnit.DAYS) : day;
            }
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw ShammahException.invalid(name + " must be an instant such as "
                    + "2026-12-06T10:00:00Z or a date such as 2026-12-06");
        }
    }

    /** A sum of rows, without the key fields, with the local share. */
    private static JsonObjectBuilder totals(Usage.Row r) {
        JsonObjectBuilder b = UsageFiles.counters(r, Json.createObjectBuilder());
        long answered = r.localTotal() + r.forwarded();
        return b.add("local_share", answered == 0 ? 0 : (double) r.localTotal() / answered);
    }
}
