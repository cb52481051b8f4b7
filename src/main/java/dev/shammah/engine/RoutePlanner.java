package dev.shammah.engine;

import java.time.Duration;
import java.util.List;

import dev.shammah.config.LearningSettings;
import dev.shammah.errors.ErrorType;
import dev.shammah.errors.ShammahException;
import dev.shammah.json.Json;
import dev.shammah.local.Encoder;
import dev.shammah.metrics.ShammahMetrics;
import dev.shammah.routing.Courtesy;
import dev.shammah.routing.PromptForm;
import dev.shammah.routing.RouteDecision;
import dev.shammah.routing.Router;
import dev.shammah.routing.SafetyFilter;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Before a request: is it eligible for a local answer, what is its context, and what does the router say for
 * its tenant. Cheap on purpose: exact lookups, no embedding unless a local answer is about to be served (the
 * safety check's examples need one).
 */
public final class RoutePlanner {
    private final LearningSettings settings;
    private final Router router;
    private final SafetyFilter safety;
    private final Courtesy courtesy;
    private final Encoder encoder;
    private final ShammahMetrics metrics;

    public RoutePlanner(LearningSettings settings, Router router, SafetyFilter safety, Courtesy courtesy,
                        Encoder encoder, ShammahMetrics metrics) {
        this.settings = settings;
        this.router = router;
        this.safety = safety;
        this.courtesy = courtesy;
        this.encoder = encoder;
        this.metrics = metrics;
    }

    /** Decides where a request goes. {@code conversation} is the whole conversation, session history included. */
    public Plan plan(String tenant, List<JsonObject> conversation, JsonObject body) {
        return decide(tenant, conversation, body, false);
    }

    /**
     * A local answer because an entitled person asked for one ({@code x-shammah-route: local}): the tenant's own
     * stored answer to the same request, whatever the evidence — never another tenant's, never a different
     * request's, never one that failed a check.
     *
     * @throws ShammahException 503 when there is none
     */
    public Plan forced(String tenant, List<JsonObject> conversation, JsonObject body) {
        Plan p = decide(tenant, conversation, body, true);
        if (!p.decision().local()) {
            String why = switch (p.decision().reason()) {
                case "safety" -> " (safety topics always go to the teacher)";
                case "blocked" -> " (the stored answer failed a check against the teacher)";
                case "ineligible", "too-long" -> " (only a last user turn of text can be answered locally)";
                default -> "";
            };
            throw new ShammahException(ErrorType.UNAVAILABLE,
                    "No local answer for this request: the teacher has not answered the same request for you yet" + why);
        }
        return p;
    }

    private Plan decide(String tenant, List<JsonObject> conversation, JsonObject body, boolean forced) {
        if (!settings.enabled()) {
            return Plan.forward(tenant, "disabled");
        }
        long start = System.nanoTime();
        try {
            String prompt = eligiblePrompt(conversation);
            if (prompt == null) {
                return Plan.forward(tenant, "ineligible");
            }
            if (prompt.length() > PromptForm.MAX_CHARS) {
                return Plan.forward(tenant, "too-long");
            }
            String contextKey = contextKey(conversation, body);
            PromptForm form = PromptForm.of(prompt, courtesy);
            Plan plan = new Plan(RouteDecision.forward("no-candidate"), tenant, prompt, form, contextKey);
            RouteDecision d = router.decide(tenant, contextKey, form, forced);
            if (d.local() && safety.sensitive(prompt, () -> encoder.embed(prompt))) {
                d = new RouteDecision(false, "safety", null, null, 1);
            }
            return plan.withDecision(d);
        } finally {
            metrics.decision(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /**
     * The text a local answer would respond to: the last message, if it is a user turn made only of text.
     * Tool results, images and documents need the real model.
     */
    public static String eligiblePrompt(List<JsonObject> conversation) {
        if (conversation.isEmpty()) {
            return null;
        }
        JsonObject last = conversation.get(conversation.size() - 1);
        if (!"user".equals(last.getString("role", ""))) {
            return null;
        }
        JsonValue content = last.get("content");
        if (content instanceof JsonString s) {
            return s.getString().isBlank() ? null : s.getString();
        }
        if (content instanceof JsonArray blocks) {
            for (JsonValue b : blocks) {
                if (!(b instanceof JsonObject block) || !"text".equals(block.getString("type", ""))) {
                    return null;
                }
            }
            String text = PromptText.text(content);
            return text.isBlank() ? null : text;
        }
        return null;
    }

    /** What an answer depends on besides the last user turn: system prompt, earlier turns, tool names. */
    public static String contextKey(List<JsonObject> conversation, JsonObject body) {
        JsonArrayBuilder tools = Json.createArrayBuilder();
        if (body.get("tools") instanceof JsonArray t) {
            t.forEach(tool -> tools.add(tool instanceof JsonObject o ? o.getString("name", "") : ""));
        }
        JsonArrayBuilder earlier = Json.createArrayBuilder();
        conversation.subList(0, conversation.size() - 1).forEach(earlier::add);
        return PromptText.sha256(Json.createObjectBuilder()
                .add("system", body.getOrDefault("system", JsonValue.NULL))
                .add("tools", tools)
                .add("earlier", earlier)
                .build().toString());
    }
}
