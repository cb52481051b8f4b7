package dev.shammah.api;

import dev.shammah.json.Json;
import dev.shammah.learning.Learning;
import dev.shammah.learning.LearningStatus;
import dev.shammah.learning.RewordingStatus;
import dev.shammah.local.hf.HfGenerator;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

/**
 * {@code GET /v1/training/status}: the learning core's state as JSON, for the caller's own tenant (its evidence;
 * server-wide totals). The same figures as /metrics.
 */
public final class TrainingService implements HttpService {
    private final Learning learning;

    public TrainingService(Learning learning) {
        this.learning = learning;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/training/status", (req, res) -> {
            String tenant = Caller.of(req).tenant();
            JsonObject status = json(learning.status(tenant));
            JsonBodies.send(res, learning.models().generator() == null ? status
                    : Json.createObjectBuilder(status).add("local_model", localModel(tenant)).build());
        });
    }

    /** The user's Hugging Face model: its evidence for this tenant (per adapter) and its fine-tuning. */
    private JsonObject localModel(String tenant) {
        var evidence = learning.generatorEvidence();
        var summary = evidence.summary(tenant);
        JsonObjectBuilder b = Json.createObjectBuilder()
                .add("model", HfGenerator.ID)
                .add("evidence_kind", evidence.kind(0).replaceAll(":n0$", ":n*"))
                .add("comparisons", summary.passes() + summary.fails()).add("passes", summary.passes())
                .add("fails", summary.fails()).add("neighbourhoods", summary.neighbourhoods())
                .add("trusted_neighbourhoods", summary.trustedNeighbourhoods())
                .add("shadow_runs", evidence.shadowRuns()).add("shadow_skipped_busy", evidence.shadowSkipped());
        var lora = learning.lora();
        if (lora != null) {
            var s = lora.status();
            b.add("lora", Json.createObjectBuilder().add("serving", s.serving()).add("offered", s.offered())
                    .add("dropped", s.dropped()).add("steps", s.steps()).add("non_finite_skipped", s.nonFiniteSkipped())
                    .add("promoted", s.promoted()).add("rejected", s.rejected()));
        }
        return b.build();
    }

    static JsonObject json(LearningStatus s) {
        long total = s.local() + s.forward();
        JsonArrayBuilder kinds = Json.createArrayBuilder();
        for (LearningStatus.Kind k : s.kinds()) {
            kinds.add(Json.createObjectBuilder()
                    .add("edit", k.edit())
                    .add("courtesy", k.courtesy())
                    .add("passes", k.passes())
                    .add("fails", k.fails())
                    .add("wrong_rate", k.wrongRate())
                    .add("trusted", k.trusted())
                    .add("passes_needed", k.passesNeeded()));
        }
        JsonObjectBuilder b = Json.createObjectBuilder()
                .add("enabled", s.enabled())
                .add("tenant", s.tenant())
                .add("memory_exchanges", s.memoryExchanges())
                .add("tenant_exchanges", s.tenantExchanges())
                .add("requests", Json.createObjectBuilder().add("local", s.local()).add("forward", s.forward())
                        .add("local_share", total == 0 ? 0 : (double) s.local() / total)
                        // At pricing.*-per-mtok, since start: what the REPL's /metrics shows, from a daemon too.
                        .add("estimated_teacher_cost_saved_usd", s.dollarsSaved()))
                .add("router", Json.createObjectBuilder()
                        .add("max_wrong_rate", s.maxWrongRate())
                        .add("verify_rate", s.verifyRate())
                        .add("teacher_stability", Json.createObjectBuilder()
                                .add("comparisons", s.stability().comparisons())
                                .add("disagreements", s.stability().disagreements())
                                .add("stable", s.stability().stable())
                                .add("edit_bar", s.stability().editBar()))
                        .add("edits", kinds)
                        .add("blocked_requests", s.blockedRequests()))
                .add("shadow", Json.createObjectBuilder().add("comparisons", s.shadow().passes() + s.shadow().fails())
                        .add("passes", s.shadow().passes()).add("fails", s.shadow().fails()))
                .add("verify", Json.createObjectBuilder().add("verified", s.verify().passes() + s.verify().fails())
                        .add("passed", s.verify().passes()).add("failed", s.verify().fails())
                        .add("skipped", s.verify().skipped()))
                .add("learning_queue", Json.createObjectBuilder().add("queued", s.learningQueued())
                        .add("dropped", s.learningDropped()));
        if (s.rewordings() != null) {
            b.add("rewordings", rewordings(s.rewordings()));
        }
        return b.build();
    }

    private static JsonObject rewordings(RewordingStatus r) {
        JsonArrayBuilder buckets = Json.createArrayBuilder();
        for (RewordingStatus.Bucket k : r.byCosine()) {
            buckets.add(Json.createObjectBuilder().add("from", k.from()).add("to", k.to()).add("n", k.n())
                    .add("agreed", k.agreed()).add("agreement_rate", finite(k.agreementRate())));
        }
        JsonObjectBuilder rules = Json.createObjectBuilder();
        r.refusedByRule().forEach((rule, c) -> rules.add(rule, Json.createObjectBuilder().add("n", c.total())
                .add("agreed", c.passes())));
        return Json.createObjectBuilder()
                .add("candidates", r.candidates())
                .add("guard_refused", r.guardRefused())
                .add("agreed", r.agreed())
                .add("disagreed", r.disagreed())
                .add("refused_agreed", r.refusedAgreed())
                .add("refused_disagreed", r.refusedDisagreed())
                .add("by_cosine", buckets)
                .add("refused_by_rule", rules)
                .add("indexed_prompts", r.indexed())
                .add("queued", r.queued())
                .add("dropped", r.dropped())
                .add("serving", serving(r.serving()))
                .build();
    }

    /** Where rewordings are served now: the lowest cosine per shape (null for none), or null when only observed. */
    private static JsonValue serving(RewordingStatus.Serving s) {
        if (s == null) {
            return JsonValue.NULL;
        }
        JsonObjectBuilder from = Json.createObjectBuilder();
        s.servedFrom().forEach((shape, cosine) -> from.add(shape, finite(cosine)));
        return Json.createObjectBuilder().add("max_wrong_rate", s.maxWrongRate()).add("served_from", from)
                .add("closed_entries", s.closedEntries()).build();
    }

    /** JSON has no NaN or infinity: a value that is not finite is reported as null. */
    static JsonValue finite(double d) {
        return Double.isFinite(d) ? Json.createValue(d) : JsonValue.NULL;
    }
}
