package dev.shammah.learning;

import java.time.Clock;
import java.util.Optional;

import dev.shammah.metrics.Budgets;
import dev.shammah.metrics.ShammahMetrics;
import dev.shammah.metrics.Usage;
import dev.shammah.upstream.ClaudeClient;
import dev.shammah.upstream.ForwardedHeaders;
import dev.shammah.upstream.UpstreamReply;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;

/**
 * The teacher as learning asks it, through the same upstream client as forwarded requests: counted in the tenant's
 * usage as a check (its tokens are teacher spend), and not asked at all once the tenant's budget is spent.
 */
public final class BudgetedTeacher implements Teacher {
    private final ClaudeClient upstream;
    private final Budgets budgets;
    private final Usage usage;
    private final ShammahMetrics metrics;
    private final Clock clock;

    public BudgetedTeacher(ClaudeClient upstream, Budgets budgets, Usage usage, ShammahMetrics metrics, Clock clock) {
        this.upstream = upstream;
        this.budgets = budgets;
        this.usage = usage;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public Optional<JsonObject> ask(String tenant, JsonObject body, ForwardedHeaders headers) {
        if (!upstream.canCall(headers) || budgets.spent(tenant)) {
            return Optional.empty();
        }
        UpstreamReply reply = upstream.post("/v1/messages", body, headers);
        metrics.upstream(reply.status(), reply.latency());
        if (reply.status() != 200) {
            return Optional.empty();
        }
        JsonObject answer = reply.json();
        if (answer.get("usage") instanceof JsonObject u) {
            usage.record(clock.instant(), tenant, body.getString("model", ""), Usage.Outcome.CHECK, null,
                    u.get("input_tokens") instanceof JsonNumber n ? n.longValue() : 0,
                    u.get("output_tokens") instanceof JsonNumber n ? n.longValue() : 0);
        }
        return Optional.of(answer);
    }
}
