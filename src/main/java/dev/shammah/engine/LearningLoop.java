package dev.shammah.engine;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.shammah.config.LearningSettings;
import dev.shammah.local.Encoder;
import dev.shammah.local.Exchange;
import dev.shammah.local.LocalModel;
import dev.shammah.local.RecallModel;
import dev.shammah.local.StudentModel;
import dev.shammah.local.StudentTrainer;
import dev.shammah.local.UserModel;
import dev.shammah.local.TeacherMemory;
import dev.shammah.metrics.RequestLog;
import dev.shammah.metrics.ShadowLogEntry;
import dev.shammah.metrics.ShammahMetrics;
import dev.shammah.routing.RouteDecision;
import dev.shammah.routing.Router;
import dev.shammah.routing.RouterStats;
import dev.shammah.routing.RouterStore;
import dev.shammah.routing.SafetyFilter;
import dev.shammah.routing.Validator;
import dev.shammah.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Learning around each request: before it, decide the route (embed, search the memory, ask the router);
 * after a forwarded one, learn from the teacher's answer off the request's path (score the local candidate
 * against it in shadow, feed the verdict to the router, store the exchange).
 */
public final class LearningLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LearningLoop.class.getName());
    private static final int NEIGHBOURS = 5;

    private final LearningSettings settings;
    private final Encoder encoder;
    private final TeacherMemory memory;
    private final Router router;
    private final RouterStore routerStore;
    private final Validator validator;
    private final SafetyFilter safety;
    private final LocalModel model;
    private final Student student;
    private final UserModel userModel;

    /** The trained student and its trainer, or {@link #NONE} when disabled. */
    public record Student(StudentModel model, StudentTrainer trainer) {
        public static final Student NONE = new Student(null, null);

        boolean present() {
            return model != null;
        }
    }
    private final Semaphore gate;
    private final RequestLog requestLog;
    private final ShammahMetrics metrics;
    private final Clock clock;
    private final ExecutorService learner = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService saver;
    private final AtomicBoolean dirty = new AtomicBoolean();
    private final AtomicLong shadowPasses = new AtomicLong();
    private final AtomicLong shadowFails = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * The plan for one request.
     *
     * @param decision   the route
     * @param prompt     the last user text (null when the request is not eligible for a local answer)
     * @param contextKey hash of what came before it
     * @param embedding  the prompt's embedding
     */
    public record Plan(RouteDecision decision, String prompt, String contextKey, float[] embedding) {
        public static Plan forward(String reason) {
            return new Plan(RouteDecision.forward(reason), null, null, null);
        }

        Plan withDecision(RouteDecision d) {
            return new Plan(d, prompt, contextKey, embedding);
        }
    }

    public LearningLoop(LearningSettings settings, Encoder encoder, TeacherMemory memory, RouterStore routerStore,
                        LocalModel model, Student student, UserModel userModel, RequestLog requestLog,
                        ShammahMetrics metrics, Clock clock) {
        this.student = student;
        this.userModel = userModel;
        this.settings = settings;
        this.encoder = encoder;
        this.memory = memory;
        this.routerStore = routerStore;
        RouterStore.Loaded saved = routerStore.load();
        this.router = new Router(settings.targetQuality(), settings.minMatchScore(), settings.minEvidence(),
                settings.exploreRate(), saved.stats(), saved.entries(), Router.threadLocalRandom());
        this.validator = new Validator(encoder, settings.validatorPassScore());
        this.safety = new SafetyFilter(settings.safetyKeywords(), settings.safetyExamples(),
                settings.safetyThreshold(), encoder);
        this.model = model;
        this.gate = new Semaphore(settings.permits(), true);
        this.requestLog = requestLog;
        this.metrics = metrics;
        this.clock = clock;
        this.saver = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "shammah-router-saver");
            t.setDaemon(true);
            return t;
        });
        // Router state changes on every comparison; saving at most once a second bounds the fsyncs.
        saver.scheduleWithFixedDelay(this::saveIfDirty, 1, 1, TimeUnit.SECONDS);
        metrics.bindLearning(memory::size);
        if (student.present()) {
            metrics.bindTraining(student.trainer()::steps, student.trainer()::examples, student.trainer()::lastLoss);
        }
    }

    public LocalModel model() {
        return model;
    }

    /** The student, if enabled. */
    public Student student() {
        return student;
    }

    /** The user's own model, or null. */
    public UserModel userModel() {
        return userModel;
    }

    /** Whether {@code model} names one of the local models clients may ask for directly. */
    public static boolean isLocalModelName(String model) {
        return StudentModel.ID.equals(model) || UserModel.ID.equals(model);
    }

    /** Why a request for a local model by name cannot be answered now; null if it can. */
    public String unavailable(String model) {
        if (StudentModel.ID.equals(model)) {
            if (!student.present()) {
                return "The student model is disabled (learning.enabled, model.student.enabled)";
            }
            return student.model().serving().isPresent() ? null : "The student model has no checkpoint yet: it "
                    + "trains in the background on forwarded answers (model.student.enabled); see "
                    + "GET /v1/training/status";
        }
        return userModel != null ? null : "No user model is configured: set model.path to a directory with a "
                + "TorchScript .pt file and tokenizer.json";
    }

    /** A plan for a request that asked for a local model by name. */
    public Plan namedPlan(String model, List<JsonObject> conversation) {
        String prompt = eligiblePrompt(conversation);
        return new Plan(new RouteDecision(true, "requested:" + model, null, 0, 0),
                prompt == null ? PromptText.lastUserText(conversation) : prompt, null, null);
    }

    /** Decides where a request goes. {@code conversation} is the whole conversation, session history included. */
    public Plan plan(List<JsonObject> conversation, JsonObject body) {
        if (!settings.enabled()) {
            return Plan.forward("disabled");
        }
        long start = System.nanoTime();
        try {
            String prompt = eligiblePrompt(conversation);
            if (prompt == null) {
                return Plan.forward("ineligible");
            }
            String contextKey = contextKey(conversation, body);
            float[] embedding = encoder.embed(prompt);
            Plan plan = new Plan(RouteDecision.forward("no-candidate"), prompt, contextKey, embedding);
            if (safety.sensitive(prompt, embedding)) {
                return plan.withDecision(RouteDecision.forward("safety"));
            }
            RouteDecision d = router.decide(prompt, embedding, memory.nearest(embedding, contextKey, NEIGHBOURS));
            if (d.local() && !RecallModel.replayable(d.candidate())) {
                d = d.asForward("tool-answer");
            }
            return plan.withDecision(d);
        } finally {
            metrics.decision(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /**
     * A local answer because the person asked for one ({@code /local}, {@code --local}): the best stored
     * exchange, however little evidence the router has for it.
     *
     * @throws dev.shammah.errors.ShammahException 503 when nothing stored matches
     */
    public Plan forcedLocal(List<JsonObject> conversation, JsonObject body) {
        Plan p = plan(conversation, body);
        RouteDecision d = p.decision();
        if (d.candidate() == null || !RecallModel.replayable(d.candidate()) || "safety".equals(d.reason())) {
            throw new dev.shammah.errors.ShammahException(dev.shammah.errors.ErrorType.UNAVAILABLE,
                    "No local answer for this request: nothing equivalent has been answered by the teacher yet"
                            + ("safety".equals(d.reason()) ? " (and safety topics always go to the teacher)" : ""));
        }
        return p.withDecision(new RouteDecision(true, "requested-local", d.candidate(), d.matchScore(),
                d.confidence()));
    }

    /** Takes a model permit, waiting at most {@code model.max-wait}; false means forward instead. */
    public boolean acquire() {
        try {
            return gate.tryAcquire(settings.maxWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public void release() {
        gate.release();
    }

    /** The local answer's tokens (the caller holds a permit while pulling them). */
    public Iterator<String> tokens(Plan plan) {
        if (("requested:" + StudentModel.ID).equals(plan.decision().reason())) {
            return student.model().generate(plan.prompt(), null);
        }
        if (("requested:" + UserModel.ID).equals(plan.decision().reason())) {
            return userModel.generate(plan.prompt(), null);
        }
        return model.generate(plan.prompt(), plan.decision().candidate());
    }

    /** Counts a served local answer: route metrics and what the teacher did not have to be paid for. */
    public void servedLocally(Plan plan, long inputTokens, long outputTokens) {
        metrics.route("local", plan.decision().reason());
        metrics.saved(inputTokens, outputTokens,
                (inputTokens * settings.inputPrice() + outputTokens * settings.outputPrice()) / 1_000_000.0);
    }

    /** Learns from a forwarded request's successful answer, off the request's path. */
    public void learnAsync(Plan plan, JsonObject response, String requestId) {
        metrics.route("forward", plan.decision().reason());
        if (plan.prompt() == null || !settings.enabled()) {
            return;
        }
        pending.incrementAndGet();
        learner.submit(() -> {
            try {
                learn(plan, response, requestId);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, requestId + ": learning from this answer failed", e);
            } finally {
                pending.decrementAndGet();
            }
        });
    }

    void learn(Plan plan, JsonObject response, String requestId) {
        JsonArray content = response.getJsonArray("content");
        if (content == null) {
            return;
        }
        String teacherText = text(content);
        RouteDecision d = plan.decision();
        boolean duplicate = false;
        boolean sampled = "explore".equals(d.reason())
                || java.util.concurrent.ThreadLocalRandom.current().nextDouble() < settings.shadowRate();
        if (sampled && d.candidate() != null && RecallModel.replayable(d.candidate()) && !teacherText.isEmpty()) {
            String localText = RecallModel.text(d.candidate());
            Validator.Verdict v = validator.compare(localText, teacherText);
            router.observe(d, v.pass(), "explore".equals(d.reason()));
            dirty.set(true);
            (v.pass() ? shadowPasses : shadowFails).incrementAndGet();
            metrics.validatorScore(v.score(), v.pass());
            requestLog.append(new ShadowLogEntry(clock.instant(), requestId, d.candidate().id(), d.matchScore(),
                    v.cosine(), v.rougeL(), v.score(), v.pass(), d.reason()));
            // The same request answered the same way again adds nothing to the memory.
            duplicate = d.matchScore() >= 0.999 && localText.equals(teacherText);
        }
        if (student.present() && !teacherText.isEmpty()) {
            student.trainer().offer(plan.prompt(), teacherText);
        }
        if (!duplicate) {
            long outputTokens = response.getJsonObject("usage") == null ? 0
                    : response.getJsonObject("usage").getJsonNumber("output_tokens").longValue();
            memory.add(new Exchange(UUID.randomUUID().toString(), plan.contextKey(), plan.prompt(), content.toString(),
                    response.getString("stop_reason", "end_turn"), response.getString("model", ""), outputTokens,
                    clock.instant()), plan.embedding());
        }
    }

    /** Waits (at most 30 s) until learning queued so far has finished: tests and benchmarks need a settled state. */
    public void drain() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (pending.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** What {@code GET /v1/training/status} shows. */
    public JsonObject status() {
        RouterStats s = router.stats();
        JsonArrayBuilder bands = Json.createArrayBuilder();
        for (int b = 0; b < RouterStats.BANDS; b++) {
            double lo = RouterStats.LOWEST + b * RouterStats.WIDTH;
            bands.add(Json.createObjectBuilder()
                    .add("match_score_from", Math.round(lo * 100) / 100.0)
                    .add("passes", s.passes()[b])
                    .add("fails", s.fails()[b])
                    .add("estimated_pass_rate", Math.round(s.passRate(b) * 10000) / 10000.0)
                    .add("local", s.evidence(b) >= settings.minEvidence()
                            && s.passRate(b) >= settings.targetQuality() + s.margin()));
        }
        long local = ShammahMetrics.localCount();
        long forward = ShammahMetrics.forwardCount();
        return Json.createObjectBuilder()
                .add("enabled", settings.enabled())
                .add("local_model", model.id())
                .add("memory_exchanges", memory.size())
                .add("requests", Json.createObjectBuilder().add("local", local).add("forward", forward)
                        .add("local_share", local + forward == 0 ? 0 : (double) local / (local + forward)))
                .add("validator", Json.createObjectBuilder()
                        .add("pass_score", validator.passScore())
                        .add("comparisons", shadowPasses.get() + shadowFails.get())
                        .add("passes", shadowPasses.get())
                        .add("fails", shadowFails.get()))
                .add("student", studentStatus())
                .add("router", Json.createObjectBuilder()
                        .add("target_quality", settings.targetQuality())
                        .add("margin", s.margin())
                        .add("min_evidence", settings.minEvidence())
                        .add("min_match_score", settings.minMatchScore())
                        .add("bands", bands))
                .build();
    }

    private JsonObject studentStatus() {
        if (!student.present()) {
            return Json.createObjectBuilder().add("enabled", false).build();
        }
        StudentTrainer t = student.trainer();
        JsonArrayBuilder ckpts = Json.createArrayBuilder();
        student.model().checkpoints().list().forEach(m -> ckpts.add(m.name()));
        var b = Json.createObjectBuilder()
                .add("enabled", true)
                .add("model", StudentModel.ID)
                .add("examples", t.examples())
                .add("steps", t.steps())
                .add("checkpoints", ckpts);
        if (!Double.isNaN(t.lastLoss())) {
            b.add("last_loss", t.lastLoss());
        }
        student.model().serving().ifPresentOrElse(m -> b.add("serving", Json.createObjectBuilder()
                .add("checkpoint", m.name()).add("step", m.step()).add("loss", m.loss())
                .add("validator_score", m.validatorScore()).add("created_at", m.createdAt().toString())),
                () -> b.addNull("serving"));
        return b.build();
    }

    private void saveIfDirty() {
        if (dirty.getAndSet(false)) {
            try {
                routerStore.save(router.stats(), router.entries());
            } catch (RuntimeException e) {
                dirty.set(true);
                LOG.log(Level.WARNING, "Could not save router state", e);
            }
        }
    }

    /**
     * The text a local answer would respond to: the last message, if it is a user turn made only of text.
     * Tool results, images and documents need the real model.
     */
    static String eligiblePrompt(List<JsonObject> conversation) {
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
    static String contextKey(List<JsonObject> conversation, JsonObject body) {
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

    static String text(JsonArray content) {
        StringBuilder sb = new StringBuilder();
        for (JsonValue v : content) {
            if (v instanceof JsonObject b && "text".equals(b.getString("type", ""))) {
                sb.append(b.getString("text", ""));
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        learner.shutdown();
        try {
            learner.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        saver.shutdownNow();
        dirty.set(true);
        saveIfDirty();
        if (student.present()) {
            student.trainer().close();
            student.model().close();
        }
        if (userModel != null) {
            userModel.close();
        }
        memory.close();
    }
}
