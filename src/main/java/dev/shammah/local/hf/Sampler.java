package dev.shammah.local.hf;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from logits the way the Messages API's parameters ask: temperature 0 is greedy (the
 * highest logit, lowest id on a tie); otherwise softmax at the temperature, then {@code top_k} (keep the k most
 * likely), then {@code top_p} (keep the smallest set whose probability reaches p), renormalised and drawn.
 */
public final class Sampler {
    private final double temperature;
    private final int topK;
    private final double topP;
    private final SplittableRandom random;

    /**
     * @param topK 0 for no limit
     * @param topP 1 for no limit
     */
    public Sampler(double temperature, int topK, double topP, long seed) {
        this.temperature = temperature;
        this.topK = topK;
        this.topP = topP;
        this.random = new SplittableRandom(seed);
    }

    public int next(float[] logits) {
        if (temperature <= 0) {
            return argMax(logits);
        }
        if (topK <= 0 && topP >= 1) {
            return fromSoftmax(logits); // nothing to cut: no ordering needed
        }
        int[] order = descending(logits);
        int keep = topK > 0 ? Math.min(topK, order.length) : order.length;
        double max = logits[order[0]];
        double[] p = new double[keep];
        double sum = 0;
        for (int i = 0; i < keep; i++) {
            p[i] = Math.exp((logits[order[i]] - max) / temperature);
            sum += p[i];
        }
        double cumulative = 0;
        int nucleus = keep;
        for (int i = 0; i < keep; i++) {
            p[i] /= sum;
            cumulative += p[i];
            if (cumulative >= topP) {
                nucleus = i + 1;
                break;
            }
        }
        double total = 0;
        for (int i = 0; i < nucleus; i++) {
            total += p[i];
        }
        double r = random.nextDouble() * total;
        for (int i = 0; i < nucleus; i++) {
            r -= p[i];
            if (r <= 0) {
                return order[i];
            }
        }
        return order[nucleus - 1];
    }

    private int fromSoftmax(float[] logits) {
        double max = logits[argMax(logits)];
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            p[i] = Math.exp((logits[i] - max) / temperature);
            sum += p[i];
        }
        double r = random.nextDouble() * sum;
        for (int i = 0; i < p.length; i++) {
            r -= p[i];
            if (r <= 0) {
                return i;
            }
        }
        return argMax(logits);
    }

    /**
     * Token ids by logit, highest first (lowest id first on a tie; Float.compare's order, so 0.0 before -0.0),
     * sorted as primitive longs — logit order in the high half, id in the low — rather than a boxed array of a
     * whole vocabulary per token.
     */
    static int[] descending(float[] logits) {
        long[] packed = new long[logits.length];
        for (int i = 0; i < logits.length; i++) {
            int bits = Float.floatToIntBits(logits[i]);
            int ascending = bits ^ ((bits >> 31) & 0x7fffffff); // orders as Float.compare does
            packed[i] = ((long) ~ascending << 32) | i;
        }
        Arrays.sort(packed);
        int[] order = new int[logits.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = (int) packed[i];
        }
        return order;
    }

    static int argMax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
