package dev.shammah.routing;

import java.util.Arrays;

/**
 * The router's learned statistics, immutable: a new snapshot replaces the old one on every observation, so
 * deciding never takes a lock. Validator outcomes are counted per band of match score; {@code margin} is
 * added to the target quality and grows when a request the router was confident about fails.
 *
 * @param passes per band, comparisons that passed
 * @param fails  per band, comparisons that failed
 * @param margin extra confidence demanded above the target
 */
public record RouterStats(int[] passes, int[] fails, double margin) {
    /** Bands of match score: [0.60, 0.65), …, [0.95, 1.00]. */
    public static final double LOWEST = 0.60;
    public static final double WIDTH = 0.05;
    public static final int BANDS = 8;

    public static RouterStats empty() {
        return new RouterStats(new int[BANDS], new int[BANDS], 0);
    }

    public static int band(double matchScore) {
        int b = (int) Math.floor((matchScore - LOWEST) / WIDTH + 1e-9);
        return Math.max(0, Math.min(BANDS - 1, b));
    }

    /** Jeffreys-prior estimate of the pass rate in a band. */
    public double passRate(int band) {
        return (passes[band] + 0.5) / (passes[band] + fails[band] + 1.0);
    }

    public int evidence(int band) {
        return passes[band] + fails[band];
    }

    RouterStats observe(int band, boolean pass, boolean wasConfident) {
        int[] p = passes.clone();
        int[] f = fails.clone();
        if (pass) {
            p[band]++;
        } else {
            f[band]++;
        }
        double m = margin;
        if (wasConfident) {
            // A confident miss raises the bar quickly; confident hits lower it slowly back toward the target.
            m = pass ? Math.max(0, m - 0.001) : Math.min(0.029, m + 0.01);
        }
        return new RouterStats(p, f, m);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RouterStats s && Arrays.equals(passes, s.passes) && Arrays.equals(fails, s.fails)
                && margin == s.margin;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(passes) * 31 + Arrays.hashCode(fails) + Double.hashCode(margin);
    }

    @Override
    public String toString() {
        return "RouterStats[passes=" + Arrays.toString(passes) + ", fails=" + Arrays.toString(fails)
                + ", margin=" + margin + "]";
    }
}
