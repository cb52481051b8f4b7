package dev.shammah.learning;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.UnaryOperator;

import dev.shammah.config.LearningSettings;
import dev.shammah.engine.LocalModels;
import dev.shammah.engine.Plan;
import dev.shammah.engine.TurnLearning;
import dev.shammah.local.Encoder;
import dev.shammah.local.Exchange;
import dev.shammah.local.OnnxEncoder;
import dev.shammah.local.PairedEncoder;
import dev.shammah.local.RecallModel;
import dev.shammah.local.TeacherMemory;
import dev.shammah.metrics.RequestLog;
import dev.shammah.metrics.ShammahMetrics;
import dev.shammah.routing.AnswerJudge;
import dev.shammah.routing.Courtesy;
import dev.shammah.routing.Equivalence;
import dev.shammah.routing.Evidence;
import dev.shammah.routing.MemoryKeys;
import dev.shammah.routing.Neighbourhoods;
import dev.shammah.routing.PromptForm;
import dev.shammah.routing.RouteReason;
import dev.shammah.routing.Router;
import dev.shammah.routing.SafetyFilter;
import dev.shammah.routing.TenantEvidence;
import dev.shammah.routing.Validator;
import dev.shammah.routing.WrongRate;
import dev.shammah.upstream.ForwardedHeaders;
import jakarta.json.JsonObject;

/**
 * The learning core. The engine sees it only as {@link TurnLearning}: a plan before a turn (route planning), and word
 * of how the turn was answered (learning and verification after it). The API and the terminal see more: the local
 * models, what is stored, forgetting, and what it all amounts to ({@link #status}). What is learned is kept by a
 * {@link LearningStore}: the data dir, or a database shared with other instances.
 */
public final class Learning implements TurnLearning, AutoCloseable {
    private final LearningSettings settings;
    private final RoutePlanner planner;
    private final Learner learner;
    private final Grader grader;
    private final LocalModels models;
    private final TeacherMemory memory;
    private final Evidence evidence;
    private final LearningStore store;
    private final Router router;
    private final Equivalence equivalence;
    private final ShammahMetrics metrics;
    private final GeneratorEvidence generatorEvidence;
    /** 2^4 = 16 neighbourhoods of similar prompts per tenant for the user's model's evidence. */
    private static final int NEIGHBOURHOOD_BITS = 4;
    private final LoraTrainer lora;
    /** Shadow observation of rewordings; null when learning is off. */
    private final Rewordings rewordings;
    private final AtomicLong local = new AtomicLong();
    private final AtomicLong forward = new AtomicLong();
    /** Estimated teacher dollars local answers did not spend since start (pricing.*): this app's, not the JVM's. */
    private final DoubleAdder dollarsSaved = new DoubleAdder();

    private Learning(LearningSettings settings, RoutePlanner planner, Learner learner, Grader grader,
                     LocalModels models, LearningStore store, Router router,
                     Equivalence equivalence, ShammahMetrics metrics, GeneratorEvidence generatorEvidence,
                     LoraTrainer lora, Rewordings rewordings) {
        this.rewordings = rewordings;
        this.generatorEvidence = generatorEvidence;
        this.lora = lora;
        this.settings = settings;
        this.planner = planner;
        this.learner = learner;
        this.grader = grader;
        this.models = models;
        this.memory = store.memory();
        this.evidence = store.evidence();
        this.store = store;
        this.router = router;
        this.equivalence = equivalence;
        this.metrics = metrics;
        metrics.bindLearning(memory::size, local::get, forward::get, dollarsSaved::sum,
                () -> memory.keyFilterBytes() + (rewordings == null ? 0 : rewordings.offHeapBytes()));
        if (lora != null) {
            metrics.bindTraining(() -> lora.status().steps(), () -> lora.status().offered(), lora::lastLoss);
        }
    }

    /**
     * What rewordings are scored by: the mean of {@code encoder}'s cosine (all-MiniLM-L6-v2, whose vector the request
     * path already has) and bge-small-en-v1.5's, a second opinion loaded on first use (docs/LEARNING.md, "The
     * score").
     */
    public static PairedEncoder rewordingEncoder(Encoder encoder) {
        return new PairedEncoder(encoder, () -> OnnxEncoder.shared(OnnxEncoder.Model.BGE_SMALL));
    }

    /**
     * Wires the learning core over {@code store}; LoRA adapters of the user's model live in {@code dataDir}.
     *
     * @param modelVersion what the user's model's evidence is kept under, given the adapter serving ("base" for
     *                     none): the adapter's name alone in a data dir of one's own; with a shared store, something
     *                     that tells this instance's model and adapters from another's
     */
    public static Learning create(LearningSettings settings, LearningStore store, Path dataDir, Encoder encoder,
                                  LocalModels models, RequestLog requestLog, ShammahMetrics metrics, Clock clock,
                                  Teacher teacher, UnaryOperator<String> modelVersion) {
        TeacherMemory memory = store.memory();
        Evidence evidence = store.evidence();
        Courtesy courtesy = new Courtesy(settings.courtesyPhrases());

        Equivalence equivalence = new Equivalence(courtesy);
        Router router = new Router(memory, evidence, equivalence, settings.maxWrongRate());
        SafetyFilter safety = new SafetyFilter(settings.safetyKeywords(), settings.safetyExamples(),
                settings.safetyThreshold(), encoder);
        LoraTrainer lora = settings.enabled() && settings.lora().enabled() && models.generator() != null
                ? new LoraTrainer(settings.lora(), models.generator(), models.runner(), dataDir.resolve("lora"))
                : null;
        // One budget for all of Shammah's own checks of what it served, stored answers and the model's alike.
        VerifyBudget verifyBudget = new VerifyBudget(settings.verifyRate(), settings.verifyPerMinute());
        GeneratorEvidence generatorEvidence = new GeneratorEvidence(models, evidence, teacher,
                settings.enabled() ? settings.generatorShadowRate() : 0, verifyBudget, settings.maxWrongRate(),
                lora == null ? () -> modelVersion.apply("base") : () -> modelVersion.apply(lora.serving()),
                lora == null ? (r, t) -> { } : lora::offer,
                new Neighbourhoods(encoder, NEIGHBOURHOOD_BITS));
        AnswerJudge judge = new AnswerJudge(new Validator(encoder, settings.validatorPassScore()));
        Rewordings rewordings = settings.enabled() && settings.observeRewordings() ? new Rewordings(memory, evidence,
                rewordingEncoder(encoder), equivalence, judge, requestLog, metrics, clock, settings.queueSize(),
                settings.serveRewordings() ? new RewordTrust(settings.maxWrongRate()) : null) : null;
        RoutePlanner planner = new RoutePlanner(settings, router, safety, courtesy, encoder, metrics,
                generatorEvidence::trusted, store::current, rewordings);
        if (memory.needsKeys()) {
            memory.rekey(e -> MemoryKeys.of(e.tenant(), e.contextKey(), PromptForm.of(e.prompt(), courtesy)));
        }
        Grader grader = new Grader(evidence, judge, requestLog, metrics, clock);
        Learner learner = new Learner(settings, store, equivalence, grader, metrics, clock, teacher, rewordings,
                verifyBudget);
        return new Learning(settings, planner, learner, grader, models, store, router, equivalence,
                metrics, generatorEvidence, lora, rewordings);
    }

    /** The LoRA trainer of the user's model, or null when off. */
    public LoraTrainer lora() {
        return lora;
    }

    /** Evidence for routing to the user's model: shadow runs, verification, the trust test. */
    public GeneratorEvidence generatorEvidence() {
        return generatorEvidence;
    }

    public LocalModels models() {
        return models;
    }

    public TeacherMemory memory() {
        return memory;
    }

    /** Where what is learned is kept. */
    public LearningStore store() {
        return store;
    }

    /** Waits until learning queued so far has finished (tests, benchmarks). */
    public void drain() {
        learner.drain();
        if (rewordings != null) {
            rewordings.drain();
        }
    }

    @Override
    public Plan plan(String tenant, List<JsonObject> conversation, JsonObject body) {
        return planner.plan(tenant, conversation, body);
    }

    @Override
    public Plan forced(String tenant, List<JsonObject> conversation, JsonObject body, boolean generator) {
        return planner.forced(tenant, conversation, body, generator);
    }

    /**
     * A served local answer: counted (route metrics, and what the teacher did not have to be paid for), and a share
     * checked against the teacher — a stored answer by the learner, the user's model's by its evidence when the
     * router chose the model (not when the client named it).
     */
    @Override
    public void afterLocal(Plan plan, JsonObject outgoing, ForwardedHeaders headers, String requestId,
                           JsonObject message, boolean byModel) {
        JsonObject usage = message.getJsonObject("usage");
        long inputTokens = usage.getJsonNumber("input_tokens").longValue();
        long outputTokens = usage.getJsonNumber("output_tokens").longValue();
        local.incrementAndGet();
        metrics.route("local", plan.decision().reason());
        metrics.saved(inputTokens, outputTokens);
        dollarsSaved.add((inputTokens * settings.inputPrice() + outputTokens * settings.outputPrice()) / 1_000_000.0);
        if (!byModel) {
            learner.afterLocal(plan, outgoing, headers, requestId);
        } else if (plan.decision().why() == RouteReason.GENERATOR) {
            generatorEvidence.afterServed(plan, outgoing, headers,
                    message.getJsonArray("content").getJsonObject(0).getString("text"));
        }
    }

    /**
     * A forwarded request was answered whole: counted, learned from (off the request's path), and given to the
     * user's model as evidence and as training.
     */
    @Override
    public void afterForward(Plan plan, JsonObject outgoing, JsonObject answer, String requestId) {
        forward.incrementAndGet();
        metrics.route("forward", plan.decision().reason());
        learner.afterForward(plan, answer, requestId);
        generatorEvidence.afterForward(plan, outgoing, answer);
    }

    /** Estimated teacher dollars local answers did not spend since start, at pricing.*-per-mtok. */
    public double dollarsSaved() {
        return dollarsSaved.sum();
    }

    /** Local and forwarded answers since start. */
    public long[] routeCounts() {
        return new long[] {local.get(), forward.get()};
    }

    /** The learning core's state as {@code tenant} sees it. */
    public LearningStatus status(String tenant) {
        TenantEvidence ev = evidence.existing(tenant);
        if (ev == null) {
            ev = new Evidence().tenant(tenant);
        }
        List<LearningStatus.Kind> kinds = new ArrayList<>();
        for (Map.Entry<String, Evidence.Counts> k : ev.kinds().entrySet()) {
            boolean courtesy = equivalence.isCourtesy(k.getKey());
            double w = router.wrongRate(k.getKey(), k.getValue());
            kinds.add(new LearningStatus.Kind(k.getKey(), courtesy, k.getValue().passes(), k.getValue().fails(),
                    Math.round(w * 1e6) / 1e6, w <= settings.maxWrongRate(),
                    WrongRate.passesNeeded(settings.maxWrongRate(), courtesy)));
        }
        kinds.sort(Comparator.comparing(LearningStatus.Kind::edit));
        long[] c = grader.counts();
        Evidence.Counts s = ev.stability();
        return new LearningStatus(settings.enabled(), tenant, memory.size(), memory.count(tenant), local.get(),
                forward.get(), dollarsSaved.sum(), settings.maxWrongRate(), settings.verifyRate(),
                new LearningStatus.Comparisons(c[0], c[1], 0),
                new LearningStatus.Comparisons(c[2], c[3], learner.verifySkipped()),
                new LearningStatus.Stability(s.total(), s.fails(), router.teacherStable(ev),
                        AnswerJudge.threshold(ev.agreement(), settings.validatorPassScore())),
                kinds, ev.blockedShapes(), learner.dropped(), learner.queued(),
                rewordings == null ? null : rewordings.status(tenant));
    }

    /** Tenants with stored exchanges. */
    public List<TeacherMemory.TenantSummary> tenants() {
        return memory.tenants();
    }

    /** A page of a tenant's exchanges, oldest first. */
    public List<Exchange> exchanges(String tenant, int offset, int limit) {
        return memory.list(tenant, offset, limit);
    }

    /** Deletes everything learned from a tenant's traffic: exchanges and evidence. Returns how many exchanges. */
    public int forgetTenant(String tenant) {
        return store.forgetTenant(tenant).size();
    }

    /** Deletes one exchange of a tenant; false if there is none with that id. */
    public boolean forgetExchange(String tenant, String id) {
        return store.forgetExchange(tenant, id);
    }

    /** The stored answer's text, for listings. */
    public static String answerText(Exchange e) {
        return RecallModel.text(e);
    }

    @Override
    public void close() {
        learner.close();
        if (rewordings != null) {
            rewordings.close();
        }
        if (lora != null) {
            lora.close();
        }
        models.close();
        store.close();
    }
}
