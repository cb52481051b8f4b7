package dev.shammah.learning;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * What one search of {@link MeaningIndex} costs as a scope grows: random unit vectors of the paired encoders' 768
 * dimensions (two 384-dimension vectors side by side), 200 warm-up searches, then the p50 and p99 of 200 timed ones (docs/BENCHMARKS.md, "Rewordings").
 * Run: {@code ./mvnw -q test-compile && java -cp target/test-classes:target/classes dev.shammah.learning.MeaningIndexScan}
 */
public final class MeaningIndexScan {
    private static final int DIMENSIONS = 768;

    private MeaningIndexScan() {
    }

    public static void main(String[] args) {
        Random random = new Random(1);
        String scope = MeaningIndex.scope("tenant", "context");
        for (int n : new int[] {1_000, 5_000, 50_000}) {
            MeaningIndex index = new MeaningIndex();
            for (int i = 0; i < n; i++) {
                index.add(scope, "e" + i, unit(random));
            }
            float[] query = unit(random);
            for (int i = 0; i < 200; i++) {
                index.nearest(scope, query, 4);
            }
            long[] nanos = new long[200];
            for (int i = 0; i < nanos.length; i++) {
                long start = System.nanoTime();
                index.nearest(scope, query, 4);
                nanos[i] = System.nanoTime() - start;
            }
            Arrays.sort(nanos);
            System.out.printf(Locale.ROOT, "%,d prompts in one scope: p50 %.2f ms, p99 %.2f ms%n", n,
                    nanos[100] / 1e6, nanos[198] / 1e6);
        }
    }

    private static float[] unit(Random random) {
        float[] v = new float[DIMENSIONS];
        double norm = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
            norm += v[i] * v[i];
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }
}
