package dev.shammah.local;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;

class PairedEncoderTest {
    /** Unit vectors by text, in two dimensions: what each of two encoders thinks of three texts. */
    private static Encoder fixed(Map<String, float[]> vectors, AtomicInteger calls) {
        return new Encoder() {
            @Override
            public float[] embed(String text) {
                calls.incrementAndGet();
                return vectors.get(text);
            }

            @Override
            public void close() {
            }
        };
    }

    private static float[] at(double angle) {
        return new float[] {(float) Math.cos(angle), (float) Math.sin(angle)};
    }

    @Test
    void thePairsCosineIsTheMeanOfTheTwoEncodersCosines() {
        AtomicInteger firstCalls = new AtomicInteger();
        AtomicInteger secondCalls = new AtomicInteger();
        Encoder first = fixed(Map.of("a", at(0), "b", at(0.3), "c", at(1.2)), firstCalls);
        Encoder second = fixed(Map.of("a", at(0.5), "b", at(1.4), "c", at(0.6)), secondCalls);
        PairedEncoder pair = new PairedEncoder(first, () -> second);
        float[] a = pair.embed("a");
        assertThat("still a unit vector", Encoder.cosine(a, a), closeTo(1, 1e-6));
        for (String other : new String[] {"b", "c"}) {
            double mean = (Encoder.cosine(first.embed("a"), first.embed(other))
                    + Encoder.cosine(second.embed("a"), second.embed(other))) / 2;
            assertThat(other, Encoder.cosine(a, pair.embed(other)), closeTo(mean, 1e-6));
        }
        float[] firstOfA = first.embed("a");
        float[] pairedC = pair.embed("c");
        double prefixDot = 0;
        for (int i = 0; i < firstOfA.length; i++) {
            prefixDot += firstOfA[i] * pairedC[i];
        }
        assertThat("the first encoder's cosine, read from the paired vector's leading half",
                PairedEncoder.firstCosine(prefixDot), closeTo(Encoder.cosine(firstOfA, first.embed("c")), 1e-6));
        double firstOfAC = Encoder.cosine(firstOfA, first.embed("c"));
        assertThat("a first-encoder cosine of x can reach a mean of (x + 1) / 2, no more",
                PairedEncoder.mayReach(prefixDot, (firstOfAC + 1) / 2), is(true));
        assertThat(PairedEncoder.mayReach(prefixDot, (firstOfAC + 1) / 2 + 0.001), is(false));
        int before = firstCalls.get();
        float[] reused = pair.embed("b", first.embed("b"));
        assertThat("a first vector held already is not computed again", firstCalls.get(), is(before + 1));
        assertThat(Encoder.cosine(reused, pair.embed("b")), closeTo(1, 1e-6));
    }
}
