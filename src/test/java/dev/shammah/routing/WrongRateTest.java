package dev.shammah.routing;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

class WrongRateTest {
    @Test
    void evidenceNeededFollowsTheBoundAndThePrior() {
        assertThat(WrongRate.passesNeeded(0.001, true), is(5));
        assertThat(WrongRate.passesNeeded(0.001, false), is(9));
        // The table in docs/LEARNING.md.
        assertThat(WrongRate.passesNeeded(0.1, true), is(0));
        assertThat(WrongRate.passesNeeded(0.1, false), is(2));
        assertThat(WrongRate.passesNeeded(0.01, true), is(2));
        assertThat(WrongRate.passesNeeded(0.01, false), is(6));
        assertThat(WrongRate.passesNeeded(0.0001, true), is(9));
        assertThat(WrongRate.passesNeeded(0.0001, false), is(13));
        assertThat(WrongRate.ofEdit(9, 0, false), lessThanOrEqualTo(0.001));
        assertThat(WrongRate.ofEdit(8, 0, false), greaterThan(0.001));
    }

    @Test
    void oneFailureMeansNeverTrusted() {
        assertThat(WrongRate.ofEdit(1000, 1, true), is(1.0));
    }

    @Test
    void wilsonUpperBoundNeedsThousandsOfAgreementsForTheDefaultBound() {
        assertThat("no evidence: everything forwards", WrongRate.wilsonUpper(0, 0), is(1.0));
        assertThat(WrongRate.wilsonUpper(0, 3_800), greaterThan(0.001));
        assertThat(WrongRate.wilsonUpper(0, 3_900), lessThanOrEqualTo(0.001));
        assertThat("one failure in 3,900 is too many", WrongRate.wilsonUpper(1, 3_900), greaterThan(0.001));
        assertThat(WrongRate.wilsonUpper(50, 100), closeTo(0.60, 0.01));
    }

    @Test
    void wilsonLowerBoundIsConservative() {
        assertThat(WrongRate.wilsonLower(0, 100), is(0.0));
        assertThat(WrongRate.wilsonLower(1, 10), lessThan(0.1));
        assertThat(WrongRate.wilsonLower(1, 10), greaterThan(0.001));
        assertThat(WrongRate.wilsonLower(1, 100_000), lessThan(0.001));
        assertThat(WrongRate.wilsonLower(50, 100), closeTo(0.40, 0.01));
    }
}
