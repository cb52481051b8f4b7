package dev.shammah.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.shammah.config.ShammahConfig;
import dev.shammah.errors.ErrorType;
import dev.shammah.errors.ShammahException;
import dev.shammah.json.Json;
import dev.shammah.metrics.Budgets;
import dev.shammah.metrics.Usage;
import dev.shammah.metrics.UsageFiles;
import dev.shammah.metrics.UsageReport;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * {@code shammah usage}: the report of {@code GET /admin/usage} as a table per tenant (or {@code --json}) — asked of
 * the daemon when one serves this data dir or is named ({@code --daemon}, {@code SHAMMAH_DAEMON}, {@code cli.daemon};
 * {@code SHAMMAH_ADMIN_KEY} is the key, else {@code SHAMMAH_API_KEY}), else read from the data dir's usage files
 * without changing them. Either way the figures are the endpoint's.
 */
public final class UsageCommand {
    static final String OPTIONS = "--json, --tenant T, --model M, --from WHEN, --to WHEN (an instant or a UTC date), "
            + "--daemon URL";

    private UsageCommand() {
    }

    /**
     * @param daemon the daemon to ask, or null to read the data dir's files
     */
    public static int run(URI daemon, ShammahConfig config, Invocation io, List<String> args) {
        Map<String, String> opts = new LinkedHashMap<>();
        boolean json = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--json" -> json = true;
                case "--tenant", "--model", "--from", "--to", "--daemon" -> {
                    if (i + 1 >= args.size()) {
                        io.err().println("shammah usage: " + a + " needs a value");
                        return Exit.USAGE.code();
                    }
                    opts.put(a.substring(2), args.get(++i));
                }
                default -> {
                    io.err().println("shammah usage: unknown option '" + a + "' (" + OPTIONS + ")");
                    return Exit.USAGE.code();
                }
            }
        }
        JsonObject report;
        try {
            report = daemon != null ? ask(daemon, opts, io) : read(config, opts);
        } catch (ShammahException e) {
            io.err().println("shammah usage: " + e.getMessage());
            return e.type().status() == 400 ? Exit.USAGE.code() : Exit.FAILED.code();
        }
        if (json) {
            io.out().println(report);
        } else {
            print(report, io.out(), daemon == null ? "files in " + config.dataDir().resolve("usage")
                    : "the daemon at " + daemon);
        }
        return Exit.OK.code();
    }

    private static JsonObject read(ShammahConfig config, Map<String, String> opts) {
        Clock clock = Clock.systemUTC();
        Usage usage = new Usage(config.learning().inputPrice(), config.learning().outputPrice());
        UsageFiles.read(usage, config.dataDir(), clock, config.usage().keepDays());
        Instant from = UsageReport.time("from", opts.get("from"), false);
        Instant to = UsageReport.time("to", opts.get("to"), true);
        return UsageReport.of(usage, new Budgets(config.usage().budgets(), usage, clock), opts.get("tenant"),
                opts.get("model"), from, to);
    }

    private static JsonObject ask(URI daemon, Map<String, String> opts, Invocation io) {
        StringBuilder q = new StringBuilder();
        for (String k : List.of("tenant", "model", "from", "to")) {
            if (opts.containsKey(k)) {
                q.append(q.isEmpty() ? '?' : '&').append(k).append('=')
                        .append(URLEncoder.encode(opts.get(k), StandardCharsets.UTF_8));
            }
        }
        String base = daemon.toString().replaceAll("/+$", "");
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/admin/usage" + q)).timeout(Duration.ofSeconds(30));
        String key = io.env().getOrDefault("SHAMMAH_ADMIN_KEY", io.env().getOrDefault("SHAMMAH_API_KEY", ""));
        if (!key.isBlank()) {
            b.header("x-api-key", key);
        }
        HttpResponse<String> res;
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            res = client.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ShammahException(ErrorType.UNAVAILABLE, "cannot reach the daemon at " + base
                    + " (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShammahException(ErrorType.UNAVAILABLE, "interrupted");
        }
        if (res.statusCode() == 401 || res.statusCode() == 403) {
            throw new ShammahException(ErrorType.PERMISSION, "the daemon at " + base + " needs an "
                    + "admin key for its usage: set SHAMMAH_ADMIN_KEY (one of server.admin-keys)");
        }
        JsonObject body;
        try (var r = Json.createReader(new StringReader(res.body()))) {
            body = r.readObject();
        } catch (RuntimeException e) {
            throw new ShammahException(ErrorType.BAD_GATEWAY, "the daemon at " + base
                    + " answered " + res.statusCode() + " without a usage report");
        }
        if (res.statusCode() != 200) {
            String message = body.get("error") instanceof JsonObject err ? err.getString("message", "") : "";
            throw new ShammahException(res.statusCode() == 400 ? ErrorType.INVALID_REQUEST
                    : ErrorType.BAD_GATEWAY, message.isEmpty() ? "the daemon answered "
                    + res.statusCode() : message);
        }
        return body;
    }

    /** A row per tenant and one for all of them. */
    static void print(JsonObject report, PrintStream out, String source) {
        String format = "%-24s %9s %9s %7s %9s %8s %11s %11s  %s%n";
        out.printf(Locale.ROOT, format, "tenant", "requests", "local", "share", "forwarded", "refused", "spent $",
                "saved $", "budget");
        for (JsonValue v : report.getJsonArray("tenants")) {
            JsonObject t = v.asJsonObject();
            out.printf(Locale.ROOT, format, t.getString("tenant"), t.getJsonNumber("requests"), t.getJsonNumber("local"),
                    share(t), t.getJsonNumber("forwarded"), t.getJsonNumber("refused"), usd(t, "spent_usd"),
                    usd(t, "saved_usd"), budget(t));
        }
        JsonObject all = report.getJsonObject("totals");
        out.printf(Locale.ROOT, format, "(all)", all.getJsonNumber("requests"), all.getJsonNumber("local"), share(all),
                all.getJsonNumber("forwarded"), all.getJsonNumber("refused"), usd(all, "spent_usd"),
                usd(all, "saved_usd"), "");
        String range = (report.containsKey("from") ? " from " + report.getString("from") : "")
                + (report.containsKey("to") ? " to " + report.getString("to") : "");
        out.println("(" + source + range + "; shammah usage --json for the hourly rows)");
    }

    private static String share(JsonObject o) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * o.getJsonNumber("local_share").doubleValue());
    }

    private static String usd(JsonObject o, String field) {
        return String.format(Locale.ROOT, "%.6f", o.getJsonNumber(field).doubleValue());
    }

    private static String budget(JsonObject t) {
        if (!(t.get("budget") instanceof JsonObject b)) {
            return "-";
        }
        return String.format(Locale.ROOT, "$%.2f of $%.2f per %s (%s)", b.getJsonNumber("spent_usd").doubleValue(),
                b.getJsonNumber("dollars").doubleValue(), b.getString("period"), b.getString("state"));
    }
}
