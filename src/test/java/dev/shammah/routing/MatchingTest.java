package dev.shammah.routing;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/** The pure parts of routing and validation: lexical match, ROUGE-L, score bands. */
class MatchingTest {
    @Test
    void courtesyCaseAndPunctuationDoNotChangeWhatIsAsked() {
        assertThat(TextMatch.similarity("Convert the following measurement. 3 ft = _____ in.",
                "please convert the following measurement: 3 ft = _____ in. Thanks!"), is(1.0));
    }

    @Test
    void differentNumbersMakeADifferentRequest() {
        assertThat(TextMatch.similarity("Convert 3 ft to inches", "Convert 5 ft to inches"), is(0.0));
        assertThat(TextMatch.similarity("What is 1,000 + 2.5?", "what is 1,000 + 2.5"), is(1.0));
    }

    @Test
    void differentContentWordsLowerTheScore() {
        double s = TextMatch.similarity("Rank the following universities: Princeton, Stanford",
                "Rank the following cities: Paris, Rome");
        assertThat(s, lessThan(0.5));
    }

    @Test
    void rougeLIsOneForEqualTextAndLowForUnrelated() {
        assertThat(RougeL.f1("The answer is 42.", "the answer is 42"), closeTo(1.0, 1e-9));
        assertThat(RougeL.f1("a b c d", "a x c y"), closeTo(0.5, 1e-9));
        assertThat(RougeL.f1("completely different words", "nothing shared here"), is(0.0));
        assertThat(RougeL.f1("x", ""), is(0.0));
    }

    @Test
    void scoresFallIntoBands() {
        assertThat(RouterStats.band(1.0), is(RouterStats.BANDS - 1));
        assertThat(RouterStats.band(0.95), is(RouterStats.BANDS - 1));
        assertThat(RouterStats.band(0.949), is(RouterStats.BANDS - 2));
        assertThat(RouterStats.band(0.2), is(0));
        assertThat(RouterStats.empty().passRate(3), closeTo(0.5, 1e-9));
        RouterStats s = RouterStats.empty();
        for (int i = 0; i < 20; i++) {
            s = s.observe(7, true, false);
        }
        assertThat(s.passRate(7), greaterThan(0.97));
    }
}
