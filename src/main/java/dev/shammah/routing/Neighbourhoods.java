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
    private final int bits;
    /** Sized to the encoder's embeddings on first use (nothing here hard-codes a model's dimension). */
    private volatile float[][] planes;

    public Neighbourhoods(Encoder encoder, int bits) {
        this.encoder = encoder;
        this.bits = bits;
    }

    /** How many neighbourhoods there are. */
    public int count() {
        return 1 << bits;
    }

    /** The prompt's neighbourhood, 0 … count()-1 (one embedding). */
    public int of(String prompt) {
        return of(embed(prompt));
    }

    public float[] embed(String prompt) {
        return encoder.embed(prompt);
    }

    /** The neighbourhood of an embedding already made (the request path embeds a prompt once). */
    public int of(float[] embedding) {
        float[][] p = planes(embedding.length);
        int bucket = 0;
        for (int b = 0; b < p.length; b++) {
            double dot = 0;
            for (int i = 0; i < embedding.length; i++) {
                dot += embedding[i] * p[b][i];
            }
            if (dot >= 0) {
                bucket |= 1 << b;
            }
        }
        return bucket;
    }

    private float[][] planes(int dimensions) {
        float[][] p = planes;
        if (p == null || p[0].length != dimensions) {
            p = new float[bits][dimensions];
            SplittableRandom random = new SplittableRandom(0x5ea1ab1eL);
            for (float[] plane : p) {
                for (int i = 0; i < plane.length; i++) {
                    plane[i] = (float) (random.nextDouble() * 2 - 1);
                }
            }
            planes = p;
        }
        return p;
    }
}
