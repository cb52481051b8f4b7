package dev.shammah.local;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

class OnnxEncoderTest {
    @ParameterizedTest
    @EnumSource(OnnxEncoder.Model.class)
    void embeddingsAreUnitVectorsThatPlaceParaphrasesCloseAndUnrelatedTextFar(OnnxEncoder.Model model) {
        try (OnnxEncoder encoder = new OnnxEncoder(model)) {
            float[] a = encoder.embed("How do I reverse a list in Python?");
            float[] b = encoder.embed("What is the way to reverse a Python list?");
            float[] c = encoder.embed("The weather in Lisbon is sunny today.");
            assertThat(a.length, is(384));
            assertThat(Encoder.cosine(a, a), closeTo(1.0, 1e-4));
            assertThat(Encoder.cosine(a, b), greaterThan(0.7));
            assertThat(Encoder.cosine(a, c), lessThan(0.6));
            assertThat(Encoder.cosine(a, b) - Encoder.cosine(a, c), greaterThan(0.3));
            float[] x = encoder.embed("Determinism matters for a cache.");
            float[] y = encoder.embed("Determinism matters for a cache.");
            assertThat("the same text always gives the same vector", Encoder.cosine(x, y), closeTo(1.0, 1e-6));
        }
    }
}
