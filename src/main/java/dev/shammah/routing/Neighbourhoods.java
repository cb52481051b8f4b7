package dev.shammah.routing;

import java.util.SplittableRandom;

import dev.shammah.local.Encoder;

/**
 * Neighbourhoods of similar requests: the sign pattern of a prompt's embedding against a few fixed random
 * hyperplanes (random-projection hashing), so prompts about the same thing tend to share one and evidence that a
 * model answers one kind of request well does not vouch for another. The hyperplanes come from a fixed seed, so
 * a neighbourhood means the same after a restart and on every instance.
 */
public final class Neighbourhoods {
    private final Encoder encoder;
    private final float[][] planes;

    public Neighbourhoods(Encoder encoder, int bits, int dimensions) {
        this.encoder = encoder;
        this.planes = new float[bits][dimensions];
        SplittableRandom random = new SplittableRandom(0x5ea1ab1eL);
        for (float[] p : planes) {
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) (random.nextDouble() * 2 - 1);
            }
        }
    }

    /** How many neighbourhoods there are. */
    public int count() {
        return 1 << planes.length;
    }

    /** The prompt's neighbourhood, 0 … count()-1 (one embedding). */
    public int of(String prompt) {
        float[] e = encoder.embed(prompt);
        int bucket = 0;
        for (int b = 0; b < planes.length; b++) {
            double dot = 0;
            for (int i = 0; i < Math.min(e.length, planes[b].length); i++) {
                dot += e[i] * planes[b][i];
            }
            if (dot >= 0) {
                bucket |= 1 << b;
            }
        }
        return bucket;
    }
}
