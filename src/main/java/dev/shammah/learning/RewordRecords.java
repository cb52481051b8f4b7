package dev.shammah.learning;

import java.util.Locale;

import dev.shammah.local.Exchange;
import dev.shammah.routing.Evidence;

/**
 * Where a verdict on a pair of prompts is kept in a tenant's evidence: pooled by guard verdict and cosine bucket (what
 * the status and the bench's "Shadow agreement" show), and where serving reads it ({@link RewordTrust}) — by shape
 * and band, and on the stored exchange's own record.
 */
final class RewordRecords {
    /** Width of a cosine bucket in the pooled records. */
    static final double BUCKET = 0.05;
    /** Key prefix of the pooled records of guard-passed pairs, by cosine bucket. */
    static final String PASSED = "passed:";
    /** Key prefix of the pooled records of refused pairs, by rule and cosine bucket. */
    static final String REFUSED = "refused:";

    private final Evidence evidence;

    RewordRecords(Evidence evidence) {
        this.evidence = evidence;
    }

    /** The nearest candidate's verdict, pooled: what the guard said of the pair and whether the answers agreed. */
    void pooled(String tenant, RewordGuard.Verdict verdict, double cosine, boolean pass) {
        String bucket = bucket(cosine);
        evidence.recordRewording(tenant, verdict.pass() ? PASSED + bucket : REFUSED + verdict.refusal() + ":" + bucket,
                pass);
    }

    /**
     * A guard-passed pair's verdict, where serving reads it: the stored exchange's own record and its kind's (shape
     * and band) — the same whether it was observed after a forward or checked after being served. Which verdicts
     * go on the exchange's own record is {@link RewordTrust#countsForEntry}'s rule: farther words that got another
     * answer were another question, which says nothing of the words the exchange could be served for.
     */
    void servable(String tenant, Exchange stored, PromptFacts storedFacts, PromptFacts asked, double cosine,
                  boolean pass) {
        if (RewordTrust.countsForEntry(cosine, pass)) {
            evidence.recordRewording(tenant, Evidence.rewordingEntry(stored.id()), pass);
        }
        int band = RewordTrust.band(cosine);
        if (band >= 0) {
            evidence.recordRewording(tenant, RewordTrust.kindKey(RewordTrust.Shape.of(storedFacts, asked), band), pass);
        }
    }

    /** A refused pair's verdict, for both shapes' bands ({@link RewordTrust#REFUSED_NOISE}). */
    void refused(String tenant, double cosine, boolean pass) {
        int band = RewordTrust.band(cosine);
        if (band >= 0) {
            evidence.recordRewording(tenant, RewordTrust.refusedKey(band), pass);
        }
    }

    /** The lower bound of a cosine's bucket, as its key: "0.85" holds [0.85, 0.90). */
    static String bucket(double cosine) {
        double lower = Math.floor(Math.min(cosine, 0.9999) / BUCKET + 1e-9) * BUCKET;
        return String.format(Locale.ROOT, "%.2f", Math.max(RewordTrust.FLOOR, lower));
    }
}
