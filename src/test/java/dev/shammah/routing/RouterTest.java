package dev.shammah.routing;

import java.nio.file.Path;
import java.time.Instant;

import dev.shammah.local.Exchange;
import dev.shammah.local.TeacherMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/** The router's decisions from evidence, over a real memory (exact lookups; no embedding anywhere). */
class RouterTest {
    static final Courtesy COURTESY = Courtesy.builtIn();

    @TempDir
    Path dir;
    TeacherMemory memory;
    Evidence evidence;
    Router router;
    int n;

    @BeforeEach
    void open() {
        memory = new TeacherMemory(dir);
        evidence = new Evidence();
        router = new Router(memory, evidence, new Equivalence(COURTESY), 0.001);
    }

    @AfterEach
    void close() {
        memory.close();
    }

    Exchange store(String tenant, String prompt, String answer) {
        Exchange e = new Exchange("x" + (n++), tenant, "ctx", prompt, "[{\"type\":\"text\",\"text\":\"" + answer
                + "\"}]", "end_turn", "m", 3, Instant.EPOCH);
        memory.add(e, MemoryKeys.of(tenant, "ctx", PromptForm.of(prompt, COURTESY)));
        memory.refresh();
        return e;
    }

    RouteDecision decide(String tenant, String prompt) {
        return router.decide(tenant, "ctx", PromptForm.of(prompt, COURTESY), false);
    }

    @Test
    void theSameRequestIsServedAtOnceAndOnlyToItsTenant() {
        Exchange e = store("alice", "What is the capital of France?", "Paris.");
        RouteDecision d = decide("alice", "what is the capital of france");
        assertThat(d.local(), is(true));
        assertThat(d.reason(), is("same"));
        assertThat(d.candidate().id(), is(e.id()));
        assertThat(decide("bob", "What is the capital of France?").local(), is(false));
        assertThat(decide("bob", "What is the capital of France?").candidate(), is(nullValue()));
        assertThat(router.decide("alice", "other-context", PromptForm.of("What is the capital of France?", COURTESY),
                false).local(), is(false));
    }

    @Test
    void aSiblingIsNeverACandidate() {
        store("alice", "Convert 5 kilometers to miles.", "5 km is 3.11 miles.");
        RouteDecision d = decide("alice", "Convert 5 miles to kilometers.");
        assertThat(d.local(), is(false));
        assertThat(d.candidate(), is(nullValue()));
    }

    @Test
    void aCourtesyWrapperNeedsItsOwnEvidenceAndOneFailureEndsIt() {
        store("alice", "Give one tip to decrease caffeine.", "Cut a little each week.");
        RouteDecision first = decide("alice", "Hi! Give one tip to decrease caffeine.");
        assertThat(first.local(), is(false));
        assertThat(first.reason(), is("unproven"));
        assertThat(first.edit().parts(), is(java.util.List.of("pre:hi")));
        for (int i = 0; i < 4; i++) {
            evidence.recordKind("alice", "pre:hi", true);
        }
        assertThat("4 passes are not enough at 0.001", decide("alice", "Hi! Give one tip to decrease caffeine.")
                .local(), is(false));
        evidence.recordKind("alice", "pre:hi", true);
        RouteDecision now = decide("alice", "hi give one tip to decrease caffeine");
        assertThat(now.local(), is(true));
        assertThat(now.reason(), is("wrapped"));
        assertThat("bob's record is his own", decide("bob", "Hi! Give one tip to decrease caffeine.").local(),
                is(false));
        evidence.recordKind("alice", "pre:hi", false);
        assertThat(decide("alice", "Hi! Give one tip to decrease caffeine.").local(), is(false));
    }

    @Test
    void aLearnedWrapperIsFoundByLookupOnceProven() {
        store("alice", "Explain how a rainbow forms", "Light refracts in droplets.");
        assertThat(decide("alice", "In short: explain how a rainbow forms").reason(), is("no-candidate"));
        for (int i = 0; i < 9; i++) {
            evidence.recordKind("alice", "pre:in short", true);
        }
        RouteDecision d = decide("alice", "In short: explain how a rainbow forms");
        assertThat(d.local(), is(true));
        assertThat(d.reason(), is("wrapped"));
    }

    @Test
    void aFailedExchangeOrBlockedShapeIsNeverServedAgainEvenWhenForced() {
        Exchange e = store("alice", "Write a haiku about the sea", "Waves fold into foam.");
        evidence.recordExchange("alice", e.id(), false);
        assertThat(decide("alice", "Write a haiku about the sea").local(), is(false));
        assertThat(router.decide("alice", "ctx", PromptForm.of("Write a haiku about the sea", COURTESY), true)
                .local(), is(false));
        store("alice", "Name a prime", "7.");
        evidence.block("alice", MemoryKeys.shape("alice", "ctx", PromptForm.of("Name a prime", COURTESY)));
        assertThat(decide("alice", "name a prime").reason(), is("blocked"));
    }

    @Test
    void aTeacherMeasuredToVaryNeedsAPassedCheckPerRequest() {
        Exchange e = store("alice", "Tell a joke about cats", "Why did the cat…");
        for (int i = 0; i < 10; i++) {
            evidence.recordStability("alice", i % 2 == 0, 0.4);
        }
        RouteDecision d = decide("alice", "Tell a joke about cats");
        assertThat(d.local(), is(false));
        assertThat(d.reason(), is("unstable"));
        evidence.recordExchange("alice", e.id(), true);
        assertThat(decide("alice", "Tell a joke about cats").local(), is(true));
    }

    @Test
    void forcingLocalStillNeedsTheSameRequestOfTheSameTenant() {
        store("alice", "Give one tip to decrease caffeine.", "Cut a little each week.");
        assertThat(router.decide("alice", "ctx", PromptForm.of("Hi! Give one tip to decrease caffeine.", COURTESY),
                true).local(), is(true));
        assertThat(router.decide("alice", "ctx", PromptForm.of("In short: give one tip to decrease caffeine.",
                COURTESY), true).local(), is(false));
        assertThat(router.decide("alice", "ctx", PromptForm.of("Give one tip to increase caffeine.", COURTESY), true)
                .local(), is(false));
        assertThat(router.decide("bob", "ctx", PromptForm.of("Give one tip to decrease caffeine.", COURTESY), true)
                .local(), is(false));
    }
}
