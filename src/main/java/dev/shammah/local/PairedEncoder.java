package dev.shammah.local;

import java.util.function.Supplier;

/**
 * Two encoders' judgements of one text, side by side: each unit vector scaled by 1/√2 and the two joined, so that the
 * cosine of two paired vectors is exactly the mean of the two encoders' cosines (and still a dot product of unit
 * vectors). Two encoders trained apart err on different pairs — each scores some near-misses above some true
 * rewordings, rarely the same ones — so their mean ranks "the same question" better than either alone
 * (docs/LEARNING.md, "The score"). The second encoder is loaded on first use.
 */
public final class PairedEncoder implements Encoder {
    private static final float HALF = (float) Math.sqrt(0.5);

    private final Encoder first;
    private final Supplier<? extends Encoder> second;

    /**
     * @param first  the encoder whose vector a caller may already hold ({@link #embed(String, float[])})
     * @param second the other, asked for when first needed
     */
    public PairedEncoder(Encoder first, Supplier<? extends Encoder> second) {
        this.first = first;
        this.second = second;
    }

    @Override
    public float[] embed(String text) {
        return embed(text, first.embed(text));
    }

    /** The paired vector of {@code text} whose first encoder's vector is {@code firstVector} (computed elsewhere). */
    public float[] embed(String text, float[] firstVector) {
        float[] other = second.get().embed(text);
        float[] out = new float[firstVector.length + other.length];
        for (int i = 0; i < firstVector.length; i++) {
            out[i] = firstVector[i] * HALF;
        }
        for (int i = 0; i < other.length; i++) {
            out[firstVector.length + i] = other[i] * HALF;
        }
        return out;
    }

    /**
     * The first encoder's cosine of two texts, from the dot product of one's first-encoder vector with the leading
     * half of the other's paired vector (which holds that vector scaled by 1/√2).
     */
    public static double firstCosine(double prefixDot) {
        return prefixDot / HALF;
    }

    /**
     * Whether two texts whose first-encoder cosine gives {@code prefixDot} ({@link #firstCosine}) may have a paired
     * cosine of {@code score} or more: the second encoder's cosine is at most 1, so the first's must be at least
     * 2 · score − 1 (a hair of float rounding allowed).
     */
    public static boolean mayReach(double prefixDot, double score) {
        return firstCosine(prefixDot) >= 2 * score - 1 - 1e-6;
    }

    /** The encoders are shared; closing a pair closes neither. */
    @Override
    public void close() {
    }
}
