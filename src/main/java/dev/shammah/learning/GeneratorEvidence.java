package dev.shammah.learning;

import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.shammah.engine.ChatRequests;
import dev.shammah.engine.LocalModels;
import dev.shammah.engine.ModelRunner;
import dev.shammah.engine.Plan;
import dev.shammah.json.Json;
import dev.shammah.local.ChatRequest;
import dev.shammah.routing.Evidence;
import dev.shammah.routing.Neighbourhoods;
import dev.shammah.routing.TenantEvidence;
import dev.shammah.routing.WrongRate;
import dev.shammah.upstream.ForwardedHeaders;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * Whether the user's model ({@code shammah-local}) may answer a request no stored answer covers, measured the same
 * way stored answers are: evidence kind {@value #KIND} in the tenant's record, one comparison at a time, judged by
 * exact equality with the teacher's text.
 * <ul>
 * <li><b>Shadow runs</b>: for {@code model.shadow-rate} of forwarded requests with a whole text answer, the model
 * answers the same conversation greedily off the request's path, when a permit is free at once (skipped and
 * counted otherwise — never queued);</li>
 * <li><b>verification</b>: {@code learning.verify-rate} of the answers it serves are asked of the teacher too.</li>
 * </ul>
 * It is trusted for a tenant when the upper end of the 95% Wilson interval of its failure rate is within
 * {@code learning.max-wrong-rate}: with no evidence (the start) nothing is served by it; one failure needs thousands
 * of passes to outweigh.
 */
public final class GeneratorEvidence {
    private static final Logger LOG = Logger.getLogger(GeneratorEvidence.class.getName());
    public static final String KIND = "generator";

    private final LocalModels models;
    private final Evidence evidence;
    private final Teacher teacher;
    private final double shadowRate;
    /** Which served answers are verified: {@code learning.verify-rate}, within the tenant's per-minute budget. */
    private final VerifyBudget verify;
    private final double maxWrongRate;
    private final AtomicLong shadowRuns = new AtomicLong();
    /** The adapter serving now ("base" for none): evidence is kept per adapter, a new one starts with none. */
    private final Supplier<String> version;
    /** Where whole teacher answers go to be learned from (the LoRA trainer), or a no-op. */
    private final BiConsumer<ChatRequest, String> learnFrom;
    /** Evidence is kept per neighbourhood of similar prompts, so one kind of request does not vouch for another. */
    private final Neighbourhoods neighbourhoods;
    private final AtomicLong shadowSkipped = new AtomicLong();

    GeneratorEvidence(LocalModels models, Evidence evidence, Teacher teacher, double shadowRate, VerifyBudget verify,
                      double maxWrongRate, Supplier<String> version,
                      BiConsumer<ChatRequest, String> learnFrom,
                      Neighbourhoods neighbourhoods) {
        this.neighbourhoods = neighbourhoods;
        this.version = version;
        this.learnFrom = learnFrom;
        this.models = models;
        this.evidence = evidence;
        this.teacher = teacher;
        this.shadowRate = shadowRate;
        this.verify = verify;
        this.maxWrongRate = maxWrongRate;
    }

    /**
     * Whether the tenant's record for this prompt's neighbourhood lets the model answer. The prompt is embedded
     * (through {@code embedding}, which the caller shares with the safety check) only when some neighbourhood of
     * the tenant is trusted at all: until the model has earned something, routing costs nothing.
     */
    public boolean trusted(String tenant, Supplier<float[]> embedding) {
        if (models.generator() == null) {
            return false;
        }
        TenantEvidence ev = evidence.tenant(tenant);
        String prefix = kindPrefix(version.get());
        boolean any = false;
        for (int n = 0; n < neighbourhoods.count() && !any; n++) {
            any = wrongRate(ev.kind(prefix + n)) <= maxWrongRate;
        }
        return any && wrongRate(ev.kind(prefix + neighbourhoods.of(embedding.get()))) <= maxWrongRate;
    }

    /** Whether the tenant's record for this prompt's neighbourhood lets the model answer (embeds the prompt). */
    public boolean trusted(String tenant, String prompt) {
        return trusted(tenant, () -> neighbourhoods.embed(prompt));
    }

    private static String kindPrefix(String version) {
        return KIND + ":" + version + ":n";
    }

    /** The evidence kind of the model as it answers now, in neighbourhood {@code n}: "generator:base:n3" … */
    public String kind(int n) {
        return kindPrefix(version.get()) + n;
    }

    /** The neighbourhood of a prompt (one embedding). */
    public int neighbourhood(String prompt) {
        return neighbourhoods.of(prompt);
    }

    /** The tenant's comparisons of the model with the teacher in one neighbourhood. */
    public Evidence.Counts record(String tenant, int neighbourhood) {
        return evidence.tenant(tenant).kind(kind(neighbourhood));
    }

    /** The tenant's comparisons summed over neighbourhoods, and how many neighbourhoods are trusted. */
    public Summary summary(String tenant) {
        long passes = 0;
        long fails = 0;
        int trusted = 0;
        TenantEvidence ev = evidence.tenant(tenant);
        for (int n = 0; n < neighbourhoods.count(); n++) {
            Evidence.Counts c = ev.kind(kind(n));
            passes += c.passes();
            fails += c.fails();
            trusted += wrongRate(c) <= maxWrongRate ? 1 : 0;
        }
        return new Summary(passes, fails, trusted, neighbourhoods.count());
    }

    /** Totals for status. */
    public record Summary(long passes, long fails, int trustedNeighbourhoods, int neighbourhoods) {
    }

    /** The pessimistic failure rate of the model's answers on this record. */
    public static double wrongRate(Evidence.Counts c) {
        return WrongRate.wilsonUpper(c.fails(), c.total());
    }

    public long shadowRuns() {
        return shadowRuns.get();
    }

    public long shadowSkipped() {
        return shadowSkipped.get();
    }

    /** After a forwarded answer: maybe a shadow run of the model on the same request. */
    void afterForward(Plan plan, JsonObject outgoing, JsonObject teacherAnswer) {
        if (models.generator() == null || !plan.learnable()
                || !"end_turn".equals(teacherAnswer.getString("stop_reason", ""))) {
            return;
        }
        String teacherText = text(teacherAnswer.getJsonArray("content"));
        if (teacherText == null) {
            return;
        }
        ChatRequest request = ChatRequests.greedy(outgoing);
        learnFrom.accept(request, teacherText);
        if (ThreadLocalRandom.current().nextDouble() >= shadowRate) {
            return;
        }
        String version = this.version.get();
        ModelRunner.Generation g = models.runner().startIfFree(() -> models.generator().generate(request),
                request.maxTokens());
        if (g == null) {
            shadowSkipped.incrementAndGet();
            return;
        }
        shadowRuns.incrementAndGet();
        Thread.ofVirtual().name("shammah-shadow").start(() -> record(plan.tenant(),
                kindPrefix(version) + neighbourhoods.of(plan.prompt()), g, teacherText));
    }

    /** After the model served an answer: for {@code learning.verify-rate} of them, the teacher is asked too. */
    void afterServed(Plan plan, JsonObject outgoing, ForwardedHeaders headers, String served) {
        if (teacher == null || !verify.draw(plan.tenant())) {
            return;
        }
        JsonObject body = Json.createObjectBuilder(outgoing).add("stream", false).build();
        String version = this.version.get();
        Thread.ofVirtual().name("shammah-verify-generator").start(() -> {
            try {
                Optional<JsonObject> answer = teacher.ask(plan.tenant(), body, headers);
                String kind = kindPrefix(version) + neighbourhoods.of(plan.prompt());
                answer.filter(a -> "end_turn".equals(a.getString("stop_reason", "")))
                        .map(a -> text(a.getJsonArray("content"))).ifPresent(t ->
                                evidence.recordKind(plan.tenant(), kind, t.equals(served)));
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "verifying a generated answer failed", e);
            }
        });
    }

    private void record(String tenant, String kind, ModelRunner.Generation g, String teacherText) {
        try (g) {
            StringBuilder s = new StringBuilder();
            g.forEachRemaining(s::append);
            // Only an answer the model finished counts: one cut by max_tokens says nothing about the rest.
            if (!"max_tokens".equals(g.stopReason())) {
                evidence.recordKind(tenant, kind, s.toString().equals(teacherText));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "a shadow run of the local model failed", e);
        }
    }

    /** The answer's text when it is only text; null otherwise (tool calls and the like are not compared). */
    private static String text(JsonArray content) {
        if (content == null || content.isEmpty()) {
            return null;
        }
        StringBuilder s = new StringBuilder();
        for (JsonValue v : content) {
            if (!(v instanceof JsonObject b) || !"text".equals(b.getString("type", ""))) {
                return null;
            }
            s.append(b.getString("text", ""));
        }
        return s.toString();
    }
}
