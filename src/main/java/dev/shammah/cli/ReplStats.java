package dev.shammah.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.json.JsonObject;

/** What the REPL tells about its answers: the line after each one and {@code /metrics}. */
final class ReplStats {
    private final Answerer answerer;
    /** Each answer's time in microseconds and whether it was local (1) or Claude's (0). */
    private final List<long[]> latencies = new ArrayList<>();

    ReplStats(Answerer answerer) {
        this.answerer = answerer;
    }

    void record(long micros, boolean local) {
        latencies.add(new long[] {micros, local ? 1 : 0});
    }

    /** The line after an answer: route, time, tokens, and the local share so far. */
    String footer(AgentLoop.Outcome o, long micros) {
        StringBuilder sb = new StringBuilder("[");
        sb.append("local".equals(o.route()) ? "local" : "claude").append(" · ")
                .append(String.format(Locale.ROOT, "%.0f ms", micros / 1000.0)).append(" · ")
                .append(o.inputTokens()).append(" in / ").append(o.outputTokens()).append(" out tokens");
        if (o.iterations() > 1) {
            sb.append(" · ").append(o.iterations()).append(" requests");
        }
        long[] counts = answerer.routeCounts();
        if (counts != null && counts[0] + counts[1] > 0) {
            sb.append(String.format(Locale.ROOT, " · local share %.0f%% (%d/%d)", 100.0 * counts[0] / (counts[0] + counts[1]),
                    counts[0], counts[0] + counts[1]));
        }
        return sb.append("]").toString();
    }

    /** {@code /metrics}: answers by route, money saved, kept usage, the latencies of this REPL's answers. */
    String report() {
        long[] counts = answerer.routeCounts();
        StringBuilder sb = new StringBuilder();
        if (counts != null) {
            long all = counts[0] + counts[1];
            sb.append(String.format(Locale.ROOT, "answers: %d local, %d forwarded (local share %.0f%%)%n", counts[0],
                    counts[1], all == 0 ? 0.0 : 100.0 * counts[0] / all));
            double saved = answerer.dollarsSaved();
            if (!Double.isNaN(saved)) {
                sb.append(String.format(Locale.ROOT, "estimated teacher cost saved: $%.4f%n", saved));
            }
        }
        JsonObject usage = answerer.usage();
        if (usage != null) {
            // The same totals as `shammah usage` and GET /admin/usage: kept across restarts, every tenant.
            JsonObject t = usage.getJsonObject("totals");
            sb.append(String.format(Locale.ROOT, "kept usage: %d requests, %d local (%.1f%%), %d forwarded, %d refused;"
                    + " $%.6f spent, $%.6f saved (shammah usage for each tenant)%n", t.getJsonNumber("requests")
                    .longValue(), t.getJsonNumber("local").longValue(), 100 * t.getJsonNumber("local_share")
                    .doubleValue(), t.getJsonNumber("forwarded").longValue(), t.getJsonNumber("refused").longValue(),
                    t.getJsonNumber("spent_usd").doubleValue(), t.getJsonNumber("saved_usd").doubleValue()));
        }
        sb.append("this session's latency: ").append(percentiles(1, "local")).append("; ")
                .append(percentiles(0, "claude"));
        return sb.toString();
    }

    private String percentiles(int local, String name) {
        long[] v = latencies.stream().filter(l -> l[1] == local).mapToLong(l -> l[0]).sorted().toArray();
        if (v.length == 0) {
            return name + " none yet";
        }
        return String.format(Locale.ROOT, "%s p50 %.0f ms, p95 %.0f ms (%d)", name, v[(v.length - 1) / 2] / 1000.0,
                v[(int) Math.ceil(0.95 * (v.length - 1))] / 1000.0, v.length);
    }
}
