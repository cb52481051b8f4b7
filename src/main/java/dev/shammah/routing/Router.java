package dev.shammah.routing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;

import dev.shammah.local.Encoder;
import dev.shammah.local.TeacherMemory;

/**
 * Decides local or forward from learned statistics. A request is a candidate for a local answer when the
 * memory holds an exchange in the same context whose prompt is equivalent (match score = mean of embedding
 * cosine and {@link TextMatch} similarity). It goes local only when the validator's record in that score band
 * says local answers there pass often enough: estimated pass rate ≥ target quality + margin, with at least
 * {@code minEvidence} comparisons. So the router starts fully forwarding and never goes local without
 * evidence; the effective match-score threshold moves as evidence arrives. See docs/LEARNING.md.
 */
public final class Router {
    private final double targetQuality;
    private final double minMatchScore;
    private final int minEvidence;
    private final double exploreRate;
    private final DoubleSupplier random;
    private final AtomicReference<RouterStats> stats;
    /** Per stored exchange: [passes, fails] of comparisons that used it. */
    private final Map<String, int[]> entries;

    public Router(double targetQuality, double minMatchScore, int minEvidence, double exploreRate,
                  RouterStats initial, Map<String, int[]> entries, DoubleSupplier random) {
        this.targetQuality = targetQuality;
        this.minMatchScore = minMatchScore;
        this.minEvidence = minEvidence;
        this.exploreRate = exploreRate;
        this.random = random;
        this.stats = new AtomicReference<>(initial);
        this.entries = new ConcurrentHashMap<>(entries);
    }

    public static DoubleSupplier threadLocalRandom() {
        return () -> ThreadLocalRandom.current().nextDouble();
    }

    public static double matchScore(String query, float[] queryEmbedding, TeacherMemory.Neighbour n) {
        return (Math.max(0, n.cosine()) + TextMatch.similarity(query, n.exchange().prompt())) / 2;
    }

    /** The decision for a request whose nearest stored exchanges are {@code neighbours}. */
    public RouteDecision decide(String query, float[] embedding, List<TeacherMemory.Neighbour> neighbours) {
        TeacherMemory.Neighbour best = null;
        double bestScore = -1;
        for (TeacherMemory.Neighbour n : neighbours) {
            double s = matchScore(query, embedding, n);
            if (s > bestScore) {
                best = n;
                bestScore = s;
            }
        }
        if (best == null || bestScore < minMatchScore) {
            return RouteDecision.forward("no-candidate");
        }
        RouterStats s = stats.get();
        int band = RouterStats.band(bestScore);
        double confidence = s.passRate(band);
        int[] entry = entries.get(best.exchange().id());
        boolean entryDoubtful = entry != null && entry[1] > entry[0];
        boolean confident = s.evidence(band) >= minEvidence && confidence >= targetQuality + s.margin()
                && !entryDoubtful;
        RouteDecision d = new RouteDecision(confident, confident ? "confident" : "learning", best.exchange(),
                bestScore, confidence);
        if (confident && random.getAsDouble() < exploreRate) {
            return d.asForward("explore");
        }
        return d;
    }

    /**
     * Records a validator verdict for a candidate the teacher also answered.
     *
     * @param wasConfident whether the router would have answered locally (explore samples): these move
     *                     the margin
     */
    public void observe(RouteDecision decision, boolean pass, boolean wasConfident) {
        if (decision.candidate() == null) {
            return;
        }
        int band = RouterStats.band(decision.matchScore());
        stats.updateAndGet(s -> s.observe(band, pass, wasConfident));
        entries.compute(decision.candidate().id(), (id, e) -> {
            int[] next = e == null ? new int[2] : e.clone();
            next[pass ? 0 : 1]++;
            return next;
        });
    }

    public RouterStats stats() {
        return stats.get();
    }

    public Map<String, int[]> entries() {
        return Map.copyOf(entries);
    }

    public double targetQuality() {
        return targetQuality;
    }
}
