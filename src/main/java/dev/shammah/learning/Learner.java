package dev.shammah.learning;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.shammah.config.LearningSettings;
import dev.shammah.engine.Plan;
import dev.shammah.json.Json;
import dev.shammah.local.Exchange;
import dev.shammah.local.RecallModel;
import dev.shammah.local.TeacherMemory;
import dev.shammah.metrics.ShammahMetrics;
import dev.shammah.routing.AnswerJudge;
import dev.shammah.routing.Equivalence;
import dev.shammah.routing.MemoryKeys;
import dev.shammah.routing.PromptForm;
import dev.shammah.routing.RouteDecision;
import dev.shammah.routing.RouteReason;
import dev.shammah.upstream.ForwardedHeaders;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * Learning off the request's path, on one low-priority thread with a bounded queue (work beyond
 * {@code learning.queue-size} is dropped and counted — learning may fall behind, a request never waits):
 * <ul>
 * <li>after a forwarded answer: compare it with the request's candidate, if it had one (shadow evidence), or
 * look up a stored exchange the request is a wrapped form of (by the keys of its runs — no embedding, no
 * search) and observe what serving the nearest stored prompt by meaning would have done ({@link Rewordings}),
 * then keep the exchange unless an identical answer to the same request is already kept;</li>
 * <li>after a local answer, for {@code learning.verify-rate} of them: ask the teacher the same request (at most
 * a few at a time; more are skipped) and grade the answer that was served against it (a rewording's verdict goes
 * to {@link Rewordings#afterVerify}, whose evidence it is).</li>
 * </ul>
 */
public final class Learner implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Learner.class.getName());
    /**
     * Canonical forms of stored prompts the learner aligned requests with, by exchange id (a stored prompt never
     * changes). In templated traffic the same newest few stored prompts share a span with every request, and
     * re-canonicalising each of them for every answer learned was the learner's largest cost.
     */
    private final Cache<String, PromptForm> storedForms = Caffeine.newBuilder().executor(Runnable::run).maximumSize(4096).build();
    private static final int CONCURRENT_VERIFIES = 4;

    private final LearningSettings settings;
    private final TeacherMemory memory;
    private final LearningStore store;
    private final Equivalence equivalence;
    private final Grader grader;
    private final ShammahMetrics metrics;
    private final Clock clock;
    private final Teacher teacher;
    /** What serving rewordings would do, observed after forwards with no candidate; null when learning is off. */
    private final Rewordings rewordings;
    private final PacedWorker worker;
    private final Semaphore verifying = new Semaphore(CONCURRENT_VERIFIES);
    private final AtomicLong verifySkipped = new AtomicLong();
    private final VerifyBudget verifyBudget;

    Learner(LearningSettings settings, LearningStore store, Equivalence equivalence, Grader grader,
            ShammahMetrics metrics, Clock clock, Teacher teacher, Rewordings rewordings, VerifyBudget verifyBudget) {
        this.verifyBudget = verifyBudget;
        this.rewordings = rewordings;
        this.settings = settings;
        this.store = store;
        this.memory = store.memory();
        this.equivalence = equivalence;
        this.grader = grader;
        this.metrics = metrics;
        this.clock = clock;
        this.teacher = teacher;
        this.worker = new PacedWorker("shammah-learner", "Learning from an answer", settings.queueSize(),
                metrics::learningDropped, metrics::requestsInFlight);
    }

    /** Learns from a forwarded request's successful answer. */
    void afterForward(Plan plan, JsonObject response, String requestId) {
        if (!settings.enabled() || !plan.learnable()) {
            return;
        }
        worker.submit(() -> learn(plan, response, requestId));
    }

    /** Samples a served local answer for verification against the teacher. */
    void afterLocal(Plan plan, JsonObject outgoing, ForwardedHeaders headers, String requestId) {
        RouteDecision d = plan.decision();
        boolean reworded = d.why() == RouteReason.REWORDED && rewordings != null;
        if (teacher == null || d.candidate() == null || (d.edit() == null && !reworded)
                || !verifyBudget.draw(plan.tenant())) {
            return;
        }
        if (!verifying.tryAcquire()) {
            verifySkipped.incrementAndGet();
            return;
        }
        worker.started();
        JsonObject body = Json.createObjectBuilder(outgoing).add("stream", false).build();
        Thread.ofVirtual().name("shammah-verify").start(() -> {
            try {
                Optional<JsonObject> answer = teacher.ask(plan.tenant(), body, headers);
                answer.filter(a -> "end_turn".equals(a.getString("stop_reason", "")))
                        .map(a -> text(a.getJsonArray("content"))).filter(t -> !t.isEmpty()).ifPresent(t -> {
                            if (reworded) {
                                rewordings.afterVerify(plan.tenant(), plan.prompt(), d.candidate(), t, requestId);
                            } else {
                                worker.submit(() -> grader.grade(plan, d.candidate(), d.edit(), t,
                                        Grader.Source.VERIFY, requestId));
                            }
                        });
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, requestId + ": verifying a local answer failed", e);
            } finally {
                verifying.release();
                worker.done();
            }
        });
    }

    private void learn(Plan plan, JsonObject response, String requestId) {
        JsonArray content = response.getJsonArray("content");
        if (content == null) {
            return;
        }
        String teacherText = text(content);
        RouteDecision d = plan.decision();
        boolean alreadyKept = false;
        boolean whole = "end_turn".equals(response.getString("stop_reason", ""));
        if (!teacherText.isEmpty() && whole) {
            if (d.candidate() != null && d.edit() != null && RecallModel.replayable(d.candidate())) {
                if (ThreadLocalRandom.current().nextDouble() < settings.shadowRate()) {
                    AnswerJudge.Verdict v = grader.grade(plan, d.candidate(), d.edit(), teacherText,
                            Grader.Source.SHADOW, requestId);
                    alreadyKept = v.pass() && "identical".equals(v.basis());
                }
            } else {
                alreadyKept = compareWithWrapped(plan, teacherText, requestId);
                observeRewording(plan, teacherText, requestId);
            }
        }
        // Only whole answers are kept: one cut by max_tokens or a stop sequence depends on parameters the next
        // request may not share.
        if (!alreadyKept && whole) {
            long outputTokens = response.get("usage") instanceof JsonObject u && u.get("output_tokens") != null
                    ? u.getJsonNumber("output_tokens").longValue() : 0;
            store.keep(new Exchange(UUID.randomUUID().toString(), plan.tenant(), plan.contextKey(), plan.prompt(),
                            content.toString(), response.getString("stop_reason", "end_turn"),
                            response.getString("model", ""), outputTokens, clock.instant(), plan.form().prefixes(),
                            plan.form().suffixes()),
                    MemoryKeys.of(plan.tenant(), plan.contextKey(), plan.form()));
        }
    }

    /** Shadow evidence for rewordings: queued for a thread of its own, never acted on, never in learning's way. */
    private void observeRewording(Plan plan, String teacherText, String requestId) {
        if (rewordings == null) {
            return;
        }
        rewordings.afterForward(plan.tenant(), plan.contextKey(), plan.prompt(), plan.form(), teacherText, requestId);
    }

    /**
     * A request with no candidate may still be a wrapped form of a stored one in words the router has not learned
     * about yet ("Quick question: …"): stored prompts of the same tenant and context that share a long enough run
     * with it are found by key and aligned with it, and the first it wraps is compared — evidence for that kind
     * of edit. True if that answer was identical.
     */
    private boolean compareWithWrapped(Plan plan, String teacherText, String requestId) {
        List<String> runs = MemoryKeys.requestRuns(plan.tenant(), plan.contextKey(), plan.form().core());
        if (runs.isEmpty()) {
            return false;
        }
        for (Exchange e : memory.bySpans(runs)) {
            // A span is only part of a core: without the prompt's text there is nothing to align it with.
            if (e.prompt() == null || !RecallModel.replayable(e)) {
                continue;
            }
            PromptForm stored;
            stored = storedForms.get(e.id(), id -> PromptForm.of(e.prompt(), equivalence.courtesy()));
            Equivalence.Edit edit = equivalence.compare(plan.form(), stored);
            if (edit.relation() == Equivalence.Relation.WRAPPED) {
                AnswerJudge.Verdict v = grader.grade(plan, e, edit, teacherText, Grader.Source.SHADOW, requestId);
                return v.pass() && "identical".equals(v.basis());
            }
        }
        return false;
    }

    /**
     * Waits (at most 30 s) until learning queued so far has finished and is visible to the router: tests and
     * benchmarks need a settled state.
     */
    public void drain() {
        worker.drain(Duration.ofSeconds(30));
        memory.refresh();
    }

    long dropped() {
        return worker.dropped();
    }

    long verifySkipped() {
        return verifySkipped.get() + verifyBudget.overBudget();
    }

    int queued() {
        return worker.queued();
    }

    static String text(JsonArray content) {
        if (content == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (JsonValue v : content) {
            if (v instanceof JsonObject b && "text".equals(b.getString("type", ""))) {
                sb.append(b.getString("text", ""));
            }
        }
        return sb.toString();
    }

    /**
     * Stops learning: what is queued gets two seconds to finish, then the rest of the queue is dropped (counted,
     * like any learning that cannot keep up) and the task in progress is waited for, so nothing learns after the
     * memory behind it has been closed.
     */
    @Override
    public void close() {
        int left = worker.close(Duration.ofSeconds(2));
        if (left > 0) {
            LOG.info("Stopping: " + left + " queued answers were not learned from");
        }
    }
}
