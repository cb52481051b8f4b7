package dev.shammah.learning;

import java.util.Locale;

import dev.shammah.routing.Evidence;
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
 * <li><b>A cut.</b> There is a band {@code c} from which on every guard-passing pair is the same question, and
 * below which a band is harmful: its pairs are other questions at least {@link WrongRate#CHANGES} of the time.
 * Closer pairs are never likelier to be different questions than farther ones (monotone).</li>
 * <li><b>A prior</b> on the cut: band {@code b} is harmful with probability π(b), logit-linear in its lower edge —
 * 0.5 at {@value #EVEN}, 0.05 at {@value #EVEN} + {@value #TO_FIVE_PERCENT}.</li>
 * <li><b>Evidence</b>: under a cut above band {@code x} (x harmful) a pass in x had a chance of at most 1 − q;
 * under a cut at or below it, 1. So a pass counts for every band at or above the one it was seen in ("these
 * words were further apart and still the same question"). A failure in band {@code x}
 * proves the cut is above {@code x}: that band and every band below it are never trusted again, by anyone of the
 * tenant.</li>
 * </ul>
 * P(band b harmful | evidence) is the posterior mass of cuts above b; the estimated chance that a decision in it
 * is wrong is that times q, as for edits. Before any evidence it is π(b)·q — above any sensible bound below
 * ~0.96 — so a tenant forwards its rewordings until the teacher has shown some of them share answers. Bands below
 * {@value #EVEN}, where the prior already holds harm as likely as not, are never served: their evidence only
 * counts for the bands above them (see {@link #wrongRate}).
 *
 * <p>On top of the pooled estimate, per stored exchange: one whose stored answer was not the teacher's for
 * another wording ({@link Evidence#rewordingEntry}) never answers other words again.
 */
public final class RewordTrust {
    /** Below this cosine no stored prompt answers other words at all. */
    public static final double FLOOR = 0.70;
    public static final double WIDTH = 0.02;
    static final int BANDS = 15;
    static final double EVEN = 0.90;
    static final double TO_FIVE_PERCENT = 0.07;
    private static final double SLOPE = Math.log(0.05 / 0.95) / TO_FIVE_PERCENT;
    private static final String KIND = "kind:";

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

    static {
        for (Shape s : Shape.values()) {
            for (int b = 0; b < BANDS; b++) {
                KEYS[s.ordinal()][b] = KIND + s.key() + ":" + String.format(Locale.ROOT, "%.2f", lowerEdge(b));
            }
        }
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
    public double wrongRate(Evidence.Tenant ev, Shape shape, int band) {
        if (band < 0 || lowerEdge(band) < EVEN - 1e-9) {
            return 1;
        }
        long[] passes = new long[BANDS];
        int highestFailure = -1;
        for (int b = 0; b < BANDS; b++) {
            Evidence.Counts c = ev.rewording(kindKey(shape, b));
            passes[b] = c.passes();
            if (c.fails() > 0) {
                highestFailure = b;
            }
        }
        if (band <= highestFailure) {
            return 1;
        }
        // Posterior over the cut c in {highestFailure+1 .. BANDS} (BANDS: no band is harmless). P(c) = π(c-1) - π(c)
        // with π(-1) = 1 and π(BANDS) = 0; a pass in band x < c weighs 1 - q, one at x >= c weighs 1.
        double harmful = 0;
        double all = 0;
        long passesBelow = 0;
        for (int b = 0; b <= highestFailure; b++) {
            passesBelow += passes[b];
        }
        for (int c = highestFailure + 1; c <= BANDS; c++) {
            double p = (c == 0 ? 1 : prior(c - 1)) - (c == BANDS ? 0 : prior(c));
            double w = p * Math.pow(1 - WrongRate.CHANGES, passesBelow);
            all += w;
            if (c > band) {
                harmful += w;
            }
            if (c < BANDS) {
                passesBelow += passes[c];
            }
        }
        return all == 0 ? 1 : harmful / all * WrongRate.CHANGES;
    }

    /** Whether a {@code shape} rewording at {@code cosine} from {@code exchangeId}'s prompt may be served. */
    public boolean trusted(Evidence.Tenant ev, Shape shape, double cosine, String exchangeId) {
        return ev.rewording(Evidence.rewordingEntry(exchangeId)).fails() == 0
                && wrongRate(ev, shape, band(cosine)) <= maxWrongRate;
    }

    /** Whether any band of any shape is trusted for the tenant (when none is, a request need not be embedded). */
    public boolean anyTrusted(Evidence.Tenant ev) {
        for (Shape s : Shape.values()) {
            if (wrongRate(ev, s, BANDS - 1) <= maxWrongRate) {
                return true;
            }
        }
        return false;
    }

    /** The lowest cosine at which a {@code shape} rewording is served now ({@value #EVEN} at the lowest), or NaN. */
    public double threshold(Evidence.Tenant ev, Shape shape) {
        double lowest = Double.NaN;
        for (int b = BANDS - 1; b >= 0 && wrongRate(ev, shape, b) <= maxWrongRate; b--) {
            lowest = lowerEdge(b);
        }
        return lowest;
    }
}
