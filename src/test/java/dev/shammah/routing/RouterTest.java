package dev.shammah.routing;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.shammah.local.Exchange;
import dev.shammah.local.TeacherMemory;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/** The router's decisions from evidence, with embeddings and randomness fixed by the test. */
class RouterTest {
    static final Exchange STORED = new Exchange("x1", "ctx", "What is the capital of France?",
            "[{\"type\":\"text\",\"text\":\"Paris.\"}]", "end_turn", "m", 3, Instant.EPOCH);
    static final float[] E = {1, 0};

    static List<TeacherMemory.Neighbour> near(double cosine) {
        return List.of(new TeacherMemory.Neighbour(STORED, cosine));
    }

    static Router router(double explore, double random) {
        return new Router(0.97, 0.75, 10, explore, RouterStats.empty(), Map.of(), () -> random);
    }

    @Test
    void startsFullyForwardingAndNeverGoesLocalWithoutEvidence() {
        Router r = router(0, 0.5);
        RouteDecision d = r.decide("What is the capital of France?", E, near(1.0));
        assertThat(d.local(), is(false));
        assertThat(d.reason(), is("learning"));
        assertThat(d.candidate().id(), is("x1"));
        assertThat(r.decide("anything", E, List.of()).reason(), is("no-candidate"));
    }

    @Test
    void goesLocalOnceTheBandHasEnoughPassesAndStaysForwardWhereTheyFail() {
        Router r = router(0, 0.5);
        RouteDecision exact = r.decide("What is the capital of France?", E, near(1.0));
        for (int i = 0; i < 16; i++) {
            r.observe(exact, true, false);
        }
        RouteDecision now = r.decide("what is the capital of france", E, near(1.0));
        assertThat(now.local(), is(true));
        assertThat(now.confidence(), greaterThan(0.97));

        // A weaker match lands in a lower band with its own record: failures there keep it forwarding.
        RouteDecision weak = r.decide("What is the capital of France?", E, near(0.70));
        assertThat(RouterStats.band(weak.matchScore()) < RouterStats.BANDS - 1, is(true));
        assertThat(weak.local(), is(false));
        for (int i = 0; i < 10; i++) {
            r.observe(weak, false, false);
        }
        assertThat(r.decide("What is the capital of France?", E, near(0.70)).local(), is(false));
        assertThat(r.decide("What is the capital of France?", E, near(1.0)).local(), is(true));
    }

    @Test
    void aConfidentMissRaisesTheBarAndAnEntryThatFailsIsNotReplayed() {
        Router r = router(0, 0.5);
        RouteDecision exact = r.decide("What is the capital of France?", E, near(1.0));
        for (int i = 0; i < 40; i++) {
            r.observe(exact, true, false);
        }
        r.observe(exact, false, true);
        assertThat(r.stats().margin(), greaterThan(0.0));
        r.observe(exact, false, false);
        // x1 now has 2 fails out of 42: still trusted. Make it fail more than it passes:
        Router fresh = router(0, 0.5);
        for (int i = 0; i < 40; i++) {
            fresh.observe(new RouteDecision(false, "learning",
                    new Exchange("other", "ctx", "q", "[]", "end_turn", "m", 1, Instant.EPOCH), 1.0, 0), true, false);
        }
        assertThat(fresh.decide("What is the capital of France?", E, near(1.0)).local(), is(true));
        fresh.observe(exact, false, false);
        assertThat(fresh.decide("What is the capital of France?", E, near(1.0)).local(), is(false));
    }

    @Test
    void exploresASampleOfConfidentRequests() {
        Router r = router(0.05, 0.01); // the random draw is below the explore rate
        RouteDecision exact = r.decide("What is the capital of France?", E, near(1.0));
        for (int i = 0; i < 20; i++) {
            r.observe(exact, true, false);
        }
        RouteDecision d = r.decide("What is the capital of France?", E, near(1.0));
        assertThat(d.local(), is(false));
        assertThat(d.reason(), is("explore"));
    }
}
