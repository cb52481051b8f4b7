package dev.shammah.learning;

import dev.shammah.routing.Evidence;
import dev.shammah.routing.TenantEvidence;
import dev.shammah.routing.WrongRate;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/** The stated model of {@link RewordTrust}: its prior, what a pass and a failure do, and the per-exchange veto. */
class RewordTrustTest {
    static final RewordTrust.Shape C = RewordTrust.Shape.CONTAINED;
    static final RewordTrust.Shape X = RewordTrust.Shape.EXCHANGED;
    final Evidence evidence = new Evidence();
    final RewordTrust trust = new RewordTrust(0.001);

    private TenantEvidence t() {
        return evidence.tenant("t");
    }

    private void record(RewordTrust.Shape shape, double cosine, boolean pass, int times) {
        for (int i = 0; i < times; i++) {
            evidence.recordRewording("t", RewordTrust.kindKey(shape, RewordTrust.band(cosine)), pass);
        }
    }

    @Test
    void bandsAndKeys() {
        assertThat(RewordTrust.band(0.69), is(-1));
        assertThat(RewordTrust.band(0.70), is(0));
        assertThat(RewordTrust.band(0.899), is(9));
        assertThat(RewordTrust.band(0.90), is(10));
        assertThat(RewordTrust.band(1.0), is(RewordTrust.BANDS - 1));
        assertThat(RewordTrust.kindKey(C, RewordTrust.band(0.905)), is("kind:contained:0.90"));
        assertThat(RewordTrust.prior(RewordTrust.band(0.90)), closeTo(0.5, 1e-9));
        assertThat(RewordTrust.prior(RewordTrust.band(0.96)), closeTo(0.083, 0.01));
    }

    @Test
    void withoutEvidenceNothingIsServedAndThePriorIsTheEstimate() {
        for (int b = RewordTrust.band(0.90); b < RewordTrust.BANDS; b++) {
            assertThat(trust.wrongRate(t(), C, b), closeTo(RewordTrust.prior(b) * WrongRate.CHANGES, 1e-9));
            assertThat(trust.wrongRate(t(), C, b), greaterThan(0.001));
        }
        assertThat("below the prior's even point, never", trust.wrongRate(t(), C, RewordTrust.band(0.89)), is(1.0));
        assertThat(trust.anyTrusted(t()), is(false));
        assertThat(trust.wrongRate(t(), C, -1), is(1.0));
        assertThat(Double.isNaN(trust.threshold(t(), C)), is(true));
    }

    @Test
    void passesFurtherApartVouchForCloserPairsNotTheOtherWayRound() {
        record(C, 0.93, true, 12);
        assertThat(trust.wrongRate(t(), C, RewordTrust.band(0.93)), lessThanOrEqualTo(0.001));
        assertThat(trust.wrongRate(t(), C, RewordTrust.band(0.97)), lessThanOrEqualTo(0.001));
        assertThat("closer pairs do not vouch for farther ones", trust.wrongRate(t(), C, RewordTrust.band(0.91)),
                greaterThan(0.001));
        assertThat(trust.threshold(t(), C), closeTo(0.92, 1e-9));
        assertThat("shapes are apart", trust.anyTrusted(t()), is(true));
        assertThat(trust.wrongRate(t(), X, RewordTrust.band(0.97)), greaterThan(0.001));
        assertThat("another tenant has none of it", trust.anyTrusted(evidence.tenant("u")), is(false));
    }

    /** anyTrusted is remembered per tenant, and the memory follows every change of the records, both ways. */
    @Test
    void whetherAnyBandIsTrustedFollowsTheRecordsAsTheyChange() {
        assertThat(trust.anyTrusted(t()), is(false));
        record(C, 0.99, true, 8);
        assertThat("opened by passes, asked of the same tenant's record", trust.anyTrusted(t()), is(true));
        record(C, 0.99, false, 3);
        record(X, 0.99, false, 3);
        assertThat("closed again by failures", trust.anyTrusted(t()), is(false));
        evidence.forgetExchanges("t", java.util.List.of());
        assertThat(trust.anyTrusted(t()), is(false));
    }

    @Test
    void eachPassHalvesTheOddsAsForEdits() {
        int band = RewordTrust.band(0.95);
        double before = trust.wrongRate(t(), C, band);
        record(C, 0.95, true, 1);
        double after = trust.wrongRate(t(), C, band);
        assertThat(after, lessThan(before));
        // At a prior of one half (0.90): each pass divides the odds by (1 - NOISE) / (1 - q) = 1.96, so it takes one
        // more than WrongRate's count for an unknown wrapper, where the odds halve per pass.
        Evidence fresh = new Evidence();
        int passes = 0;
        while (trust.wrongRate(fresh.tenant("t"), C, RewordTrust.band(0.90)) > 0.001) {
            fresh.recordRewording("t", RewordTrust.kindKey(C, RewordTrust.band(0.90)), true);
            passes++;
        }
        assertThat(passes, is(WrongRate.passesNeeded(0.001, false) + 1));
    }

    @Test
    void bandsWhosePriorIsEvenOrWorseAreNeverServedButTheirPassesCountAbove() {
        record(C, 0.80, true, 200);
        assertThat(trust.wrongRate(t(), C, RewordTrust.band(0.85)), is(1.0));
        assertThat(trust.wrongRate(t(), C, RewordTrust.band(0.90)), lessThan(1e-9));
        assertThat(trust.threshold(t(), C), closeTo(0.90, 1e-9));
    }

    @Test
    void aFailureClosesItsBandAndThoseBelowUntilPassesOutweighIt() {
        record(C, 0.905, true, 12);
        assertThat(trust.threshold(t(), C), closeTo(0.90, 1e-9));
        record(C, 0.925, false, 1);
        assertThat(trust.wrongRate(t(), C, RewordTrust.band(0.925)), greaterThan(0.001));
        assertThat(trust.wrongRate(t(), C, RewordTrust.band(0.905)), greaterThan(0.001));
        assertThat("bands well above the failure stay open", trust.threshold(t(), C), closeTo(0.96, 1e-9));
        // The failure multiplied the odds of harm by q / NOISE = 25; each later pass at or below the band divides
        // them by (1 - NOISE) / (1 - q), so a few passes reopen it.
        int passes = 0;
        while (trust.wrongRate(t(), C, RewordTrust.band(0.925)) > 0.001) {
            record(C, 0.905, true, 1);
            passes++;
        }
        assertThat(passes, is(2));
        record(C, 0.925, false, 1);
        record(C, 0.915, false, 1);
        assertThat("failures that keep coming keep it closed", trust.wrongRate(t(), C, RewordTrust.band(0.925)),
                greaterThan(0.01));
    }

    @Test
    void containedPairsReadExchangedPassesAndExchangedPairsReadContainedFailures() {
        record(X, 0.905, true, 12);
        assertThat("an exchanged pair vouches for a contained one", trust.threshold(t(), C), closeTo(0.90, 1e-9));
        assertThat(trust.threshold(t(), X), closeTo(0.90, 1e-9));
        Evidence other = new Evidence();
        for (int i = 0; i < 12; i++) {
            other.recordRewording("t", RewordTrust.kindKey(C, RewordTrust.band(0.905)), true);
        }
        assertThat("a contained pair does not vouch for an exchanged one",
                Double.isNaN(trust.threshold(other.tenant("t"), X)), is(true));
        record(C, 0.925, false, 1);
        assertThat("a contained failure counts against exchanged pairs",
                trust.wrongRate(t(), X, RewordTrust.band(0.925)), greaterThan(0.001));
        Evidence third = new Evidence();
        for (int i = 0; i < 12; i++) {
            third.recordRewording("t", RewordTrust.kindKey(X, RewordTrust.band(0.905)), true);
        }
        third.recordRewording("t", RewordTrust.kindKey(X, RewordTrust.band(0.925)), false);
        assertThat("an exchanged failure does not count against contained pairs",
                trust.wrongRate(third.tenant("t"), C, RewordTrust.band(0.925)), lessThanOrEqualTo(0.001));
        assertThat(trust.wrongRate(third.tenant("t"), X, RewordTrust.band(0.925)), greaterThan(0.001));
    }

    /**
     * Pairs the guard refused are never served, but what the teacher said of them counts for both shapes' bands,
     * weaker than a passed pair's both ways: a pass divides the odds of harm by (1 − 0.25) / (1 − q) = 1.5, a failure
     * multiplies them by q / 0.25 = 2.
     */
    @Test
    void refusedPairsAreWeakerEvidenceForBothShapes() {
        int band = RewordTrust.band(0.905);
        Evidence alone = new Evidence();
        for (int i = 0; i < 100; i++) {
            alone.recordRewording("t", RewordTrust.refusedKey(band), true);
        }
        assertThat("refused passes alone open nothing (a teacher answering everything alike)",
                trust.anyTrusted(alone.tenant("t")), is(false));
        alone.recordRewording("t", RewordTrust.kindKey(X, RewordTrust.band(0.75)), true);
        assertThat("one passed pair that agreed, far off, and they count", trust.anyTrusted(alone.tenant("t")),
                is(true));
        Evidence contained = new Evidence();
        for (int i = 0; i < 100; i++) {
            contained.recordRewording("t", RewordTrust.refusedKey(band), true);
        }
        contained.recordRewording("t", RewordTrust.kindKey(C, RewordTrust.band(0.75)), true);
        assertThat("a passed pair of either shape lets them count for both",
                trust.wrongRate(contained.tenant("t"), X, band), lessThanOrEqualTo(0.001));

        evidence.recordRewording("t", RewordTrust.kindKey(X, RewordTrust.band(0.75)), true);
        int refusedNeeded = 0;
        while (trust.wrongRate(t(), X, band) > 0.001) {
            evidence.recordRewording("t", RewordTrust.refusedKey(band), true);
            refusedNeeded++;
        }
        Evidence passed = new Evidence();
        int passedNeeded = 0;
        while (trust.wrongRate(passed.tenant("t"), X, band) > 0.001) {
            passed.recordRewording("t", RewordTrust.kindKey(X, band), true);
            passedNeeded++;
        }
        assertThat(RewordTrust.refusedKey(band), is("kind:refused:0.90"));
        assertThat(passedNeeded, is(10));
        assertThat("log(499) / log(1.5): the passed pair at 0.75 hardly moves 0.90", refusedNeeded, is(16));
        assertThat("both shapes read them", trust.wrongRate(t(), C, band), lessThanOrEqualTo(0.001));

        // One refused failure weighs far less than a passed one, and refused failures that keep coming close.
        Evidence a = new Evidence();
        Evidence b = new Evidence();
        for (int i = 0; i < 12; i++) {
            a.recordRewording("t", RewordTrust.kindKey(X, band), true);
            b.recordRewording("t", RewordTrust.kindKey(X, band), true);
        }
        a.recordRewording("t", RewordTrust.refusedKey(RewordTrust.band(0.925)), false);
        b.recordRewording("t", RewordTrust.kindKey(X, RewordTrust.band(0.925)), false);
        assertThat(trust.wrongRate(a.tenant("t"), X, RewordTrust.band(0.925)), lessThanOrEqualTo(0.001));
        assertThat(trust.wrongRate(b.tenant("t"), X, RewordTrust.band(0.925)), greaterThan(0.001));
        for (int i = 0; i < 6; i++) {
            a.recordRewording("t", RewordTrust.refusedKey(RewordTrust.band(0.925)), false);
        }
        assertThat(trust.wrongRate(a.tenant("t"), C, RewordTrust.band(0.925)), greaterThan(0.001));
    }

    @Test
    void anExchangeThatGaveAWrongAnswerToOtherWordsNeverServesThemAgain() {
        record(C, 0.80, true, 30);
        assertThat(trust.trusted(t(), C, 0.95, "e1"), is(true));
        evidence.recordRewording("t", Evidence.rewordingEntry("e1"), false);
        assertThat(trust.trusted(t(), C, 0.95, "e1"), is(false));
        assertThat(trust.trusted(t(), C, 0.95, "e2"), is(true));
    }

    @Test
    void aLooserBoundServesSoonerAndATighterOneLater() {
        record(C, 0.90, true, 4);
        assertThat(new RewordTrust(0.05).trusted(t(), C, 0.90, "e"), is(true));
        assertThat(new RewordTrust(0.001).trusted(t(), C, 0.90, "e"), is(false));
    }

    /** What one bound worked out and kept on the tenant is never what another bound reads. */
    @Test
    void twoBoundsAskingOfOneTenantKeepTheirOwnAnswers() {
        record(C, 0.99, true, 4);
        RewordTrust loose = new RewordTrust(0.05);
        RewordTrust tight = new RewordTrust(0.001);
        for (int i = 0; i < 2; i++) {
            assertThat(loose.anyTrusted(t()), is(true));
            assertThat(tight.anyTrusted(t()), is(false));
        }
    }
}
