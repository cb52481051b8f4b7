package dev.shammah.learning;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.shammah.local.Encoder;
import dev.shammah.local.Exchange;
import dev.shammah.local.PairedEncoder;
import dev.shammah.local.RecallModel;
import dev.shammah.local.TeacherMemory;
import dev.shammah.metrics.RequestLog;
import dev.shammah.metrics.RewordLogEntry;
import dev.shammah.metrics.ShammahMetrics;
import dev.shammah.routing.AnswerJudge;
import dev.shammah.routing.Equivalence;
import dev.shammah.routing.Evidence;
import dev.shammah.routing.TenantEvidence;
import dev.shammah.routing.PromptForm;
import dev.shammah.routing.RouteDecision;
import dev.shammah.routing.RouteReason;

/**
 * The same question in other words, observed in shadow and served under a bound: after a forwarded request that
 * no stored exchange answers exactly, finds the stored prompt of the same tenant and context nearest to it by
 * meaning, asks the {@link RewordGuard} about the pair, and compares the candidate's stored answer with the
 * teacher's fresh one. The verdict is kept pooled by guard verdict and cosine bucket (what the status shows);
 * what serving would have done — the nearest stored prompt the guard passes — is kept by shape and band and per
 * stored exchange ({@link Evidence#recordRewording}), which {@link #consider} reads through {@link RewordTrust}.
 *
 * <p>Everything runs off the request's path and off the learner's, on one low-priority thread of its own with a
 * bounded queue (what it cannot keep up with is dropped and counted; learning and routes never wait for it): the
 * observations, and the filing of stored prompts by meaning ({@link MeaningIndex}), told of every exchange the
 * memory adds (this instance's, another instance's through a shared store, and at start those already stored).
 * One thread for both keeps the index single-threaded and an observation after the filings queued before it.
 *
 * <p>The answer judge is {@link AnswerJudge#acrossEdit}: identical answers agree; otherwise the case-sensitive
 * ROUGE-L of the two must reach the teacher's own agreement with itself (identity until it has been measured),
 * and no content word that differs between the two prompts may appear in one answer only.
 */
public final class Rewordings implements AutoCloseable {
    /** Below this cosine a stored prompt is not a candidate at all: where the trust model's first band starts. */
    static final double FLOOR = RewordTrust.FLOOR;
    /** Stored prompts looked at per request: the nearest one that is not the same request is the candidate. */
    private static final int NEIGHBOURS = 4;
    /**
     * A candidate is not served when another stored prompt with another answer is within this cosine of it: the
     * request sits between two questions, and which one it asks is not for a score to say.
     */
    static final double AMBIGUITY_MARGIN = 0.02;

    private final TeacherMemory memory;
    private final Evidence evidence;
    private final RewordRecords records;
    private final Equivalence equivalence;
    private final RewordGuard guard;
    private final AnswerJudge judge;
    private final RequestLog requestLog;
    private final ShammahMetrics metrics;
    private final Clock clock;
    /** Stored prompts filed by meaning: what candidates are looked for among. */
    private final FiledPrompts filed;
    private final PacedWorker worker;
    /** When other words may be served; null when they are only observed. */
    private final RewordTrust trust;

    /** The stored exchange a request may reword, how near it is, and the other stored prompts near the request. */
    private record Candidate(Exchange exchange, double cosine, List<MeaningIndex.Neighbour> near) {
    }

    /**
     * @param encoder what a pair of prompts is scored by: the mean of two encoders' cosines
     * @param trust   when other words may be served ({@code learning.serve-rewordings}); null to observe only
     */
    public Rewordings(TeacherMemory memory, Evidence evidence, PairedEncoder encoder, Equivalence equivalence,
                      AnswerJudge judge, RequestLog requestLog, ShammahMetrics metrics, Clock clock, int queueSize,
                      RewordTrust trust) {
        this.trust = trust;
        this.memory = memory;
        this.evidence = evidence;
        this.records = new RewordRecords(evidence);
        this.equivalence = equivalence;
        this.guard = new RewordGuard(equivalence.courtesy());
        this.judge = judge;
        this.requestLog = requestLog;
        this.metrics = metrics;
        this.clock = clock;
        this.worker = new PacedWorker("shammah-rewordings", "Observing rewordings", queueSize, () -> { },
                metrics::requestsInFlight);
        this.filed = new FiledPrompts(memory, encoder, worker);
    }

    /** Queues the observation of a forwarded request's whole answer; never waits. */
    public void afterForward(String tenant, String contextKey, String prompt, PromptForm form, String teacherText,
                             String requestId) {
        worker.submit(() -> observe(tenant, contextKey, prompt, form, teacherText, requestId));
    }

    /**
     * After a forwarded request's whole answer: the candidate it may reword, the guard's verdict and whether
     * the stored answer agrees with the teacher's, recorded. Nothing when no stored prompt of its tenant and
     * context is near enough (or the nearest is the same request, the exact routes' business).
     */
    private void observe(String tenant, String contextKey, String prompt, PromptForm form, String teacherText,
                         String requestId) {
        List<Candidate> near = candidates(tenant, contextKey, prompt, form);
        if (near.isEmpty()) {
            return;
        }
        Candidate c = near.get(0);
        PromptFacts stored = guard.facts(c.exchange().prompt());
        PromptFacts asked = guard.facts(prompt);
        RewordGuard.Verdict verdict = RewordGuard.check(stored, asked);
        AnswerJudge.Verdict v = judge(tenant, c.exchange(), stored, asked, teacherText);
        records.pooled(tenant, verdict, c.cosine(), v.pass());
        // What serving would have chosen (the nearest the guard passes) is what serving's evidence is about.
        if (verdict.pass()) {
            records.servable(tenant, c.exchange(), stored, asked, c.cosine(), v.pass());
        } else {
            Candidate served = servable(near, asked);
            if (served != null) {
                PromptFacts servedFacts = guard.facts(served.exchange().prompt());
                records.servable(tenant, served.exchange(), servedFacts, asked, served.cosine(),
                        judge(tenant, served.exchange(), servedFacts, asked, teacherText).pass());
            } else {
                // No pair serving could have taken: the refused one is the request's evidence (one per request).
                records.refused(tenant, c.cosine(), v.pass());
            }
        }
        metrics.comparison("shadow", verdict.pass() ? "reworded" : "reword-refused", v.pass(), v.score());
        requestLog.append(new RewordLogEntry(clock.instant(), requestId, c.exchange().id(), c.cosine(),
                verdict.pass() ? "pass" : verdict.refusal(), v.score(), v.basis(), v.pass()));
    }

    /**
     * On the request's path, after the exact routes found nothing: the stored answer to other words this request
     * may be served, or null. The candidate is the nearest stored prompt whose pair with the request the guard
     * passes; served only when no stored prompt with another answer is nearer or about as near
     * ({@link #AMBIGUITY_MARGIN}), the stored exchange has never been the wrong answer to other
     * words, and the evidence of its shape and band is within the bound ({@link RewordTrust}). The request is
     * embedded only when some band of its tenant is trusted at all.
     */
    public RouteDecision consider(String tenant, String contextKey, String prompt, PromptForm form,
                                  Supplier<float[]> embedding) {
        TenantEvidence ev = evidence.existing(tenant);
        if (trust == null || ev == null || !trust.anyTrusted(ev) || !filed.current(tenant, contextKey)) {
            return null;
        }
        // A request with nothing near enough by the first encoder to reach the lowest band ever served stops after
        // half a scan, before the second embedding and the full scan.
        float[] first = embedding.get();
        if (!filed.mayReach(tenant, contextKey, first, RewordTrust.EVEN)) {
            return null;
        }
        // Remembered, so that the candidate search below embeds the prompt by bge alone, given MiniLM's vector.
        filed.embed(prompt, first);
        PromptFacts asked = guard.facts(prompt);
        Candidate c = servable(candidates(tenant, contextKey, prompt, form), asked);
        if (c == null || ambiguous(tenant, c)) {
            return null;
        }
        RewordTrust.Shape shape = RewordTrust.Shape.of(guard.facts(c.exchange().prompt()), asked);
        if (!trust.trusted(ev, shape, c.cosine(), c.exchange().id())) {
            return null;
        }
        return new RouteDecision(true, RouteReason.REWORDED, c.exchange(), null,
                trust.wrongRate(ev, shape, RewordTrust.band(c.cosine())));
    }

    /**
     * The nearest of the candidates whose pair with the request the guard passes, or null. Nearer ones the guard
     * refused are passed over: they may be other wordings of the same question (the ambiguity check then asks
     * that they have the same answer), or another question, which the ambiguity check forwards.
     */
    private Candidate servable(List<Candidate> near, PromptFacts asked) {
        for (Candidate c : near) {
            if (RewordGuard.check(guard.facts(c.exchange().prompt()), asked).pass()) {
                return c;
            }
        }
        return null;
    }

    /**
     * Whether a stored prompt about as near as the candidate, or nearer, has an answer that is not the candidate's:
     * the request sits between two questions (or nearer to one the guard refused), and which one it asks is not for
     * a score to say.
     */
    private boolean ambiguous(String tenant, Candidate c) {
        String answer = RecallModel.text(c.exchange());
        for (MeaningIndex.Neighbour n : c.near()) {
            if (n.cosine() < c.cosine() - AMBIGUITY_MARGIN) {
                break;
            }
            if (n.exchangeId().equals(c.exchange().id())) {
                continue;
            }
            Exchange other = memory.get(tenant, n.exchangeId()).orElse(null);
            if (other != null && !answer.equals(RecallModel.text(other))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A served rewording was checked against the teacher ({@code learning.verify-rate}): the verdict is evidence
     * for its shape and band and for the stored exchange, as a shadow observation's is. A disagreement stops the
     * exchange answering other words at once, and its band and those below it for the tenant.
     */
    public void afterVerify(String tenant, String prompt, Exchange served, String teacherText, String requestId) {
        worker.submit(() -> {
            double cosine = Encoder.cosine(filed.embed(prompt), filed.embed(served.prompt()));
            PromptFacts stored = guard.facts(served.prompt());
            PromptFacts asked = guard.facts(prompt);
            AnswerJudge.Verdict v = judge(tenant, served, stored, asked, teacherText);
            records.servable(tenant, served, stored, asked, cosine, v.pass());
            metrics.comparison("verify", RouteReason.REWORDED.text(), v.pass(), v.score());
            requestLog.append(new RewordLogEntry(clock.instant(), requestId, served.id(), cosine, "served", v.score(),
                    v.basis(), v.pass()));
        });
    }

    /** Whether {@code stored}'s answer was the teacher's for the other words (the judge across an edit). */
    private AnswerJudge.Verdict judge(String tenant, Exchange stored, PromptFacts storedFacts, PromptFacts asked,
                                      String teacherText) {
        return judge.acrossEdit(RecallModel.text(stored), teacherText, PromptFacts.changedWords(storedFacts, asked),
                evidence.tenant(tenant).agreement());
    }

    /**
     * The stored prompts of the same tenant and context near the request (at {@link #FLOOR} or more, nearest
     * first) that are other requests: not the same prompt nor one the exact routes read as the same.
     */
    private List<Candidate> candidates(String tenant, String contextKey, String prompt, PromptForm form) {
        List<MeaningIndex.Neighbour> near = filed.nearest(tenant, contextKey, prompt, NEIGHBOURS);
        List<Candidate> out = new ArrayList<>(near.size());
        for (MeaningIndex.Neighbour n : near) {
            if (n.cosine() < FLOOR) {
                break;
            }
            Exchange e = memory.get(tenant, n.exchangeId()).orElse(null);
            if (e == null) {
                filed.remove(n.exchangeId()); // forgotten since it was filed
                continue;
            }
            // The same request is the exact routes' business. A wrapped one is too where the router found it (then
            // it decided, and this is not asked); where it did not (its wrappers were not the router's to strip),
            // it is another wording like any other, and the guard and the bands judge it.
            if (e.prompt() == null || !RecallModel.replayable(e) || e.prompt().equals(prompt)
                    || equivalence.compare(form, PromptForm.of(e.prompt(), equivalence.courtesy())).relation()
                    == Equivalence.Relation.SAME) {
                continue;
            }
            out.add(new Candidate(e, n.cosine(), near));
        }
        return out;
    }

    /** Waits (at most 30 s) until every observation and filing queued so far is done (tests, benchmarks). */
    public void drain() {
        worker.drain(Duration.ofSeconds(30));
    }

    /** The bytes the filed prompts' vectors take, outside the heap. */
    public long offHeapBytes() {
        return filed.bytes();
    }

    /** What the observations of {@code tenant}'s rewordings add up to. */
    public RewordingStatus status(String tenant) {
        TenantEvidence ev = evidence.existing(tenant);
        Map<String, Evidence.Counts> records = ev == null ? Map.of() : ev.rewordings();
        return RewordingStatus.of(records, filed.size(), worker.queued(), worker.dropped(),
                trust == null ? null : RewordingStatus.Serving.of(trust, ev, records));
    }

    @Override
    public void close() {
        worker.close();
    }
}
