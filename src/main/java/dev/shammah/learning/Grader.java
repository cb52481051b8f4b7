package dev.shammah.learning;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

import dev.shammah.engine.Plan;
import dev.shammah.local.Exchange;
import dev.shammah.local.RecallModel;
import dev.shammah.metrics.RequestLog;
import dev.shammah.metrics.ShadowLogEntry;
import dev.shammah.metrics.ShammahMetrics;
import dev.shammah.routing.AnswerJudge;
import dev.shammah.routing.Equivalence;
import dev.shammah.routing.Evidence;
import dev.shammah.routing.MemoryKeys;

/**
 * Turns one comparison of a stored answer with the teacher's fresh answer into evidence: for the same request,
 * the teacher's stability and the exchange's own record (a failure blocks that request shape for good); across
 * a wrapper, each kind of edit's record. Counts, a metric and a log line (scores only, never text) for each.
 */
final class Grader {
    /** Where a comparison came from. */
    enum Source {
        /** a forwarded request that had a candidate */
        SHADOW,
        /** a local answer asked of the teacher again */
        VERIFY
    }

    private final Evidence evidence;
    private final AnswerJudge judge;
    private final RequestLog requestLog;
    private final ShammahMetrics metrics;
    private final Clock clock;
    private final AtomicLong shadowPasses = new AtomicLong();
    private final AtomicLong shadowFails = new AtomicLong();
    private final AtomicLong verifyPasses = new AtomicLong();
    private final AtomicLong verifyFails = new AtomicLong();

    Grader(Evidence evidence, AnswerJudge judge, RequestLog requestLog, ShammahMetrics metrics, Clock clock) {
        this.evidence = evidence;
        this.judge = judge;
        this.requestLog = requestLog;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Judges {@code candidate}'s stored answer against the teacher's {@code teacherText} for {@code plan}'s request. */
    AnswerJudge.Verdict grade(Plan plan, Exchange candidate, Equivalence.Edit edit, String teacherText, Source source,
                              String requestId) {
        String stored = RecallModel.text(candidate);
        String tenant = plan.tenant();
        AnswerJudge.Verdict v;
        if (edit.relation() == Equivalence.Relation.SAME) {
            v = judge.sameRequest(stored, teacherText);
            evidence.recordStability(tenant, v.pass(), v.agreement());
            evidence.recordExchange(tenant, candidate.id(), v.pass());
            if (!v.pass()) {
                // The teacher answers this very request differently: never replay it again.
                evidence.block(tenant, MemoryKeys.shape(tenant, plan.contextKey(), plan.form()));
            }
        } else {
            v = judge.acrossEdit(stored, teacherText, edit.changedWords(), evidence.tenant(tenant).agreement());
            for (String part : edit.parts()) {
                evidence.recordKind(tenant, part, v.pass());
            }
        }
        boolean verify = source == Source.VERIFY;
        (verify ? (v.pass() ? verifyPasses : verifyFails) : (v.pass() ? shadowPasses : shadowFails)).incrementAndGet();
        metrics.comparison(verify ? "verify" : "shadow", edit.relation() == Equivalence.Relation.SAME ? "same" : "wrapped",
                v.pass(), v.score());
        requestLog.append(new ShadowLogEntry(clock.instant(), requestId, verify ? "verify" : "shadow", candidate.id(),
                edit.relation() == Equivalence.Relation.SAME ? "same" : "wrapped", edit.parts().size(), v.score(), v.basis(),
                v.pass()));
        return v;
    }

    /** {shadow passes, shadow fails, verify passes, verify fails}. */
    long[] counts() {
        return new long[] {shadowPasses.get(), shadowFails.get(), verifyPasses.get(), verifyFails.get()};
    }
}
