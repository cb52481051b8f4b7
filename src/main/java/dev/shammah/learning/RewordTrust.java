package dev.shammah.learning;

import java.util.Arrays;
import java.util.Locale;

import dev.shammah.routing.Evidence;
import dev.shammah.routing.TenantEvidence;
import dev.shammah.routing.WrongRate;

/**
 * How likely a stored answer is to be wrong for a request in other words, from the comparisons the teacher's
 * answers gave (shadow observations after forwards, and checks of served rewordings) — a stated model, argued in
 * docs/LEARNING.md ("Serving rewordings"), in the manner of {@link WrongRate} for edits.
 *
 * <p>A decision is a request, its candidate (the nearest stored prompt of the same tenant and context) and a
 * guard that passed. It is classed by <b>shape</b> — the content words of one prompt contain the other's
 * ({@link Shape#CONTAINED}: the same words, or one says more) or each has words the other lacks
 * ({@link Shape#EXCHANGED}) — and by <b>band</b>, the cosine of the two in steps of {@value #WIDTH} from
 * {@value #FLOOR}. Per tenant and shape:
 * <ul>
 * <li><b>A cut.</b> There is a band {@code c} from which on guard-passing pairs are the same question but for a
 * few near-misses of particular entries ({@link #NOISE}), and below which a band is harmful: its pairs are other
 * questions at least {@link WrongRate#CHANGES} of the time. Closer pairs are never likelier to be different
 * questions than farther ones (monotone), and a contained pair is never likelier to be another question than an
 * exchanged one at the same cosine (dominance: contained's cut is at or below exchanged's).</li>
 * <li><b>A prior</b> on the cut: band {@code b} is harmful with probability π(b), logit-linear in its lower edge —
 * 0.5 at {@value #EVEN}, 0.05 at {@value #EVEN} + {@value #TO_FIVE_PERCENT}.</li>
 * <li><b>Evidence</b>: under a cut above band {@code x} (x harmful) a pass in x had a chance of at most 1 − q and a
 * failure q; under a cut at or below it, 1 − NOISE and NOISE. So a pass counts for every band at or above the one
 * it was seen in ("these words were further apart and still the same question"), nearly halving the odds of harm;
 * a failure in band {@code x} multiplies the odds that x and every band below it are harmful by q / NOISE, which
 * closes them at any useful bound until passes outweigh it. By dominance, contained pairs read the passes of both
 * shapes and their own failures; exchanged pairs read their own passes and the failures of both. Pairs the guard
 * refused (never served) are evidence for both shapes, weaker both ways: a refused pair is at most as likely to be
 * the same question as a passed one at the same cosine, and in a clean band one in {@link #REFUSED_NOISE} of them
 * is another question.</li>
 * </ul>
 * P(band b harmful | evidence) is the posterior mass of cuts above b; the estimated chance that a decision in it
 * is wrong is that times q, as for edits. Before any evidence it is π(b)·q — above any sensible bound below
 * ~0.96 — so a tenant forwards its rewordings until the teacher has shown some of them share answers. Bands below
 * {@value #EVEN}, where the prior already holds harm as likely as not, are never served: their evidence only
 * counts for the bands above them (see {@link #wrongRate}).
 *
 * <p>On top of the pooled estimate, per stored exchange: one whose stored answer was not the teacher's for
 * another wording at {@value #VETO_FROM} or nearer ({@link Evidence#rewordingEntry}) never answers other words again — the NOISE of a clean band is
 * near-misses of particular entries, and an entry that has shown one is closed for good.
 */
public final class RewordTrust {
    /** Below this cosine no stored prompt answers other words at all. */
    public static final double FLOOR = 0.70;
    public static final double WIDTH = 0.02;
    static final int BANDS = 15;
    static final double EVEN = 0.90;
    /**
     * From this cosine on, a stored exchange whose answer was not the teacher's for other words is closed: its
     * near-misses, at serving distance ({@value #EVEN}) or just short of it. A disagreement farther off was another
     * question altogether. Counting every disagreement closed 18 of dev-reworded's 119 stored exchanges with
     * rewording evidence, popular questions among them whose rewordings at 0.90-0.97 were then all forwarded; from
     * here on, 8 of 109.
     */
    public static final double VETO_FROM = EVEN - 0.05;
    static final double TO_FIVE_PERCENT = 0.07;
    private static final double SLOPE = Math.log(0.05 / 0.95) / TO_FIVE_PERCENT;
    private static final String KIND = "kind:";
    /**
     * The chance that a pair in a clean band (at or above the cut) is another question all the same: a near-miss
     * of one particular entry, which that entry's veto closes. It makes a failure evidence, not proof: a failure
     * multiplies the odds that its band and those below it are harmful by q / NOISE = 25. Its value is the
     * disagreement measured among guard-passed pairs above 0.90 in shadow on dev-reworded (1 of 55).
     */
    static final double NOISE = 0.02;
    /**
     * The chance that a pair the guard refused, in a clean band, is another question: the guard refuses the pairs
     * that show a sign of asking something else, so at any cosine they are at most as likely to be the same question
     * as the pairs it passes (refused dominance), and a clean band's refused pairs fail more often than its passed
     * ones. Measured in one fast dev-reworded replay's shadow records: 18–23% of refused pairs in the bands from
     * 0.80 to 0.95 disagreed (7–21% of passed ones); 0.25 is above that. So a refused pair the teacher answered
     * alike weighs (1 − 0.25) / (1 − q) = 1.5 against harm (a passed pair's weighs ≈ 2), and one it answered
     * differently q / 0.25 = 2 for it.
     */
    static final double REFUSED_NOISE = 0.25;
    private static final double LOG_REFUSED_CLEAN_PASS = Math.log(1 - REFUSED_NOISE);
    private static final double LOG_REFUSED_CLEAN_FAIL = Math.log(REFUSED_NOISE);
    private static final double LOG_HARMFUL_PASS = Math.log(1 - WrongRate.CHANGES);
    private static final double LOG_HARMFUL_FAIL = Math.log(WrongRate.CHANGES);
    private static final double LOG_CLEAN_PASS = Math.log(1 - NOISE);
    private static final double LOG_CLEAN_FAIL = Math.log(NOISE);

    /** How the content words of a request and its candidate relate. */
    public enum Shape {
        /** One's content words are all in the other (the same words, or one adds some). */
        CONTAINED,
        /** Each has content words the other lacks. */
        EXCHANGED;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Shape of(PromptFacts a, PromptFacts b) {
            return a.content().containsAll(b.content()) || b.content().containsAll(a.content()) ? CONTAINED : EXCHANGED;
        }
    }

    private final double maxWrongRate;

    public RewordTrust(double maxWrongRate) {
        this.maxWrongRate = maxWrongRate;
    }

    public double maxWrongRate() {
        return maxWrongRate;
    }

    /** The band of a cosine, or -1 below {@link #FLOOR}. */
    static int band(double cosine) {
        if (cosine < FLOOR) {
            return -1;
        }
        return Math.min(BANDS - 1, (int) Math.floor((cosine - FLOOR) / WIDTH + 1e-9));
    }

    static double lowerEdge(int band) {
        return Math.round((FLOOR + band * WIDTH) * 100) / 100.0;
    }

    /** Record keys by shape and band, made once: every request of a tenant with a trusted band reads them. */
    private static final String[][] KEYS = new String[Shape.values().length][BANDS];
    /** Record keys of refused pairs by band ({@code kind:refused:0.88}). */
    private static final String[] REFUSED_KEYS = new String[BANDS];

    static {
        for (int b = 0; b < BANDS; b++) {
            String edge = String.format(Locale.ROOT, "%.2f", lowerEdge(b));
            for (Shape s : Shape.values()) {
                KEYS[s.ordinal()][b] = KIND + s.key() + ":" + edge;
            }
            REFUSED_KEYS[b] = KIND + "refused:" + edge;
        }
    }

    /**
     * The rewording record of pairs the guard refused in a band, whatever their shape: never served, but what the
     * teacher said of them is evidence for both shapes' bands (refused dominance, {@link #REFUSED_NOISE}).
     */
    static String refusedKey(int band) {
        return REFUSED_KEYS[band];
    }

    /** The rewording record of a shape and band: {@code kind:contained:0.88} holds [0.88, 0.90). */
    static String kindKey(Shape shape, int band) {
        return KEYS[shape.ordinal()][band];
    }

    /** π(b): the prior belief that band {@code b} is harmful. */
    static double prior(int band) {
        return 1 / (1 + Math.exp(-SLOPE * (lowerEdge(band) - EVEN)));
    }

    /**
     * The estimated chance that serving a {@code shape} rewording in {@code band} is wrong; 1 for a band whose prior
     * belief in harm is even or worse (below {@value #EVEN}), whatever the evidence: there the model's two-point
     * assumption is known not to hold (a band is mostly the same question with a few percent of near-misses, which
     * the passes a stream gives cannot tell from a clean band), so its passes vouch for closer bands but never open
     * their own.
     */
    public double wrongRate(TenantEvidence ev, Shape shape, int band) {
        if (band < 0 || lowerEdge(band) < EVEN - 1e-9) {
            return 1;
        }
        // What each shape reads (dominance: contained pairs are the same question from a cosine no higher than
        // exchanged ones): contained counts every pass, exchanged every failure.
        long[] passes = new long[BANDS];
        long[] fails = new long[BANDS];
        long[] refusedPasses = new long[BANDS];
        long[] refusedFails = new long[BANDS];
        long anyPassed = 0;
        for (int b = 0; b < BANDS; b++) {
            Evidence.Counts r = ev.rewording(refusedKey(b));
            refusedPasses[b] = r.passes();
            refusedFails[b] = r.fails();
            for (Shape s : Shape.values()) {
                Evidence.Counts c = ev.rewording(kindKey(s, b));
                anyPassed += c.passes();
                if (s == shape || shape == Shape.CONTAINED) {
                    passes[b] += c.passes();
                }
                if (s == shape || shape == Shape.EXCHANGED) {
                    fails[b] += c.fails();
                }
            }
        }
        // Posterior over the cut c in {0 .. BANDS} (BANDS: no band is harmless), in logs: P(c) = pi(c-1) - pi(c)
        // with pi(-1) = 1 and pi(BANDS) = 0; below the cut a pass weighs 1 - q and a failure q, at or above it
        // a pass weighs 1 - NOISE and a failure NOISE. Only the evidence below c differs between cuts by more
        // than the noise terms, so the sums run upwards once.
        double[] logWeight = new double[BANDS + 1];
        double aboveAll = 0;
        // Refused passes back up passed ones and never stand alone: a teacher that answers different questions
        // alike (a constant reply, a stock refusal) makes every refused pair "agree", which says nothing of where
        // the same question ends. Until one pair the guard passed (of either shape) has agreed, only refused
        // failures count.
        if (anyPassed == 0) {
            Arrays.fill(refusedPasses, 0);
        }
        double[] clean = new double[BANDS];
        double[] harmed = new double[BANDS];
        for (int x = 0; x < BANDS; x++) {
            clean[x] = passes[x] * LOG_CLEAN_PASS + fails[x] * LOG_CLEAN_FAIL
                    + refusedPasses[x] * LOG_REFUSED_CLEAN_PASS + refusedFails[x] * LOG_REFUSED_CLEAN_FAIL;
            harmed[x] = (passes[x] + refusedPasses[x]) * LOG_HARMFUL_PASS + (fails[x] + refusedFails[x]) * LOG_HARMFUL_FAIL;
            aboveAll += clean[x];
        }
        double below = 0;
        double above = aboveAll;
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c <= BANDS; c++) {
            double p = (c == 0 ? 1 : prior(c - 1)) - (c == BANDS ? 0 : prior(c));
            logWeight[c] = p <= 0 ? Double.NEGATIVE_INFINITY : Math.log(p) + below + above;
            max = Math.max(max, logWeight[c]);
            if (c < BANDS) {
                below += harmed[c];
                above -= clean[c];
            }
        }
        double harmful = 0;
        double all = 0;
        for (int c = 0; c <= BANDS; c++) {
            double w = Math.exp(logWeight[c] - max);
            all += w;
            if (c > band) {
                harmful += w;
            }
        }
        return all == 0 ? 1 : harmful / all * WrongRate.CHANGES;
    }

    /**
     * Whether a guard-passed pair's verdict at {@code cosine} goes on its stored exchange's own record: every
     * agreement does, a disagreement only from {@link #VETO_FROM} up (it closes the exchange for good).
     */
    public static boolean countsForEntry(double cosine, boolean pass) {
        return pass || cosine >= VETO_FROM;
    }

    /** Whether a {@code shape} rewording at {@code cosine} from {@code exchangeId}'s prompt may be served. */
    public boolean trusted(TenantEvidence ev, Shape shape, double cosine, String exchangeId) {
        return ev.rewording(Evidence.rewordingEntry(exchangeId)).fails() == 0
                && wrongRate(ev, shape, band(cosine)) <= maxWrongRate;
    }

    /** Whether any band of any shape is trusted for the tenant (when none is, a request need not be embedded). */
    public boolean anyTrusted(TenantEvidence ev) {
        // Read before the records: a change while they are read leaves a figure kept at an older version.
        long version = ev.rewordingsVersion();
        TenantEvidence.Derived kept = ev.derived(this, version);
        if (kept != null) {
            return kept.value();
        }
        boolean trusted = false;
        for (Shape s : Shape.values()) {
            if (wrongRate(ev, s, BANDS - 1) <= maxWrongRate) {
                trusted = true;
                break;
            }
        }
        // Every request the exact routes do not answer asks, and the posterior behind it is two passes over every
        // band: kept on the tenant while its rewording records stand.
        ev.derive(new TenantEvidence.Derived(this, version, trusted));
        return trusted;
    }

    /** The lowest cosine at which a {@code shape} rewording is served now ({@value #EVEN} at the lowest), or NaN. */
    public double threshold(TenantEvidence ev, Shape shape) {
        double lowest = Double.NaN;
        for (int b = BANDS - 1; b >= 0 && wrongRate(ev, shape, b) <= maxWrongRate; b--) {
            lowest = lowerEdge(b);
        }
        return lowest;
    }
}
