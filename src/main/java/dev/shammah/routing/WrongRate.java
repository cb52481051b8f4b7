package dev.shammah.routing;

/**
 * How likely the next local answer of some kind is to be wrong, from the record of comparisons with the
 * teacher. The model, stated so it can be argued with (docs/LEARNING.md):
 * <ul>
 * <li>A kind of edit (a wrapper such as "Hi!" or "Quick question:") is either harmless — the teacher answers
 * both forms alike — or harmful. A harmful kind changes the teacher's answer at least {@link #CHANGES} of the
 * time (a meaning-changing edit rarely leaves the answer alone).</li>
 * <li>Before any comparison a kind is harmful with probability {@link #PRIOR_COURTESY} if it is a known courtesy
 * phrase and {@link #PRIOR_OTHER} otherwise.</li>
 * <li>A harmless kind never fails a comparison, so one failure proves harm: the kind is never trusted again.</li>
 * </ul>
 * After {@code p} passes and no failure, P(harmful) = π·(1−q)^p / (π·(1−q)^p + 1 − π), and the chance that the
 * next answer is wrong is P(harmful)·q. With the default bound of 0.001 that takes 5 passes for a courtesy
 * phrase and 9 for any other wrapper.
 */
public final class WrongRate {
    /** Lower bound on how often a harmful edit changes the teacher's answer. */
    public static final double CHANGES = 0.5;
    public static final double PRIOR_COURTESY = 0.05;
    public static final double PRIOR_OTHER = 0.5;

    private WrongRate() {
    }

    /** Estimated chance that an answer reused across this kind of edit is wrong; 1 once it has failed. */
    public static double ofEdit(long passes, long fails, boolean courtesy) {
        if (fails > 0) {
            return 1;
        }
        double prior = courtesy ? PRIOR_COURTESY : PRIOR_OTHER;
        double odds = prior / (1 - prior) * Math.pow(1 - CHANGES, passes);
        return odds / (1 + odds) * CHANGES;
    }

    /** Passes a kind needs (with no failure) to be trusted at {@code maxWrongRate}. */
    public static int passesNeeded(double maxWrongRate, boolean courtesy) {
        int p = 0;
        while (ofEdit(p, 0, courtesy) > maxWrongRate && p < 10_000) {
            p++;
        }
        return p;
    }

    /**
     * Lower end of the 95% Wilson interval for a failure rate: used to decide that the teacher has been
     * <em>measured</em> to answer the same request differently more often than the bound allows.
     */
    public static double wilsonLower(long fails, long n) {
        return n == 0 ? 0 : Math.max(0, wilson(fails, n, -1));
    }

    /** The 95% Wilson interval's bound for a failure rate: {@code side} -1 the lower, +1 the upper. */
    private static double wilson(long fails, long n, int side) {
        double z = 1.96;
        double p = (double) fails / n;
        double denom = 1 + z * z / n;
        double centre = p + z * z / (2.0 * n);
        double spread = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n));
        return (centre + side * spread) / denom;
    }

    /**
     * Upper end of the 95% Wilson interval for a failure rate: a model's answers are trusted only when even this
     * pessimistic reading is within the bound (with no failure, about 3,800 comparisons for 0.001).
     */
    public static double wilsonUpper(long fails, long n) {
        return n == 0 ? 1 : Math.min(1, wilson(fails, n, 1));
    }
}
