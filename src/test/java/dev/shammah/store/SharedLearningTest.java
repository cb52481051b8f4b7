package dev.shammah.store;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import dev.shammah.api.ApiKeys;
import dev.shammah.routing.Evidence;
import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.RunningApp;
import dev.shammah.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.shammah.testsupport.Cluster.ask;
import static dev.shammah.testsupport.Cluster.await;
import static dev.shammah.testsupport.Cluster.lastReason;
import static dev.shammah.testsupport.Cluster.learning;
import static dev.shammah.testsupport.Cluster.route;
import static dev.shammah.testsupport.Cluster.text;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/**
 * Two instances sharing one PostgreSQL learn as one Shammah: what one learns the other serves, a verdict one records
 * stops the other, what one forgets the other forgets, and no tenant's answer reaches another through either.
 */
class SharedLearningTest {
    static final FakeAnthropic TEACHER = FakeAnthropic.start();
    static final String ALICE = "alice-key";
    static final String BOB = "bob-key";
    static final String ADMIN = "admin-key";

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    @AfterAll
    static void stop() {
        TEACHER.close();
    }

    @BeforeEach
    void reset() {
        TEACHER.reset();
    }

    static Evidence evidence(RunningApp app) {
        return app.app().learning().store().evidence();
    }

    @Test
    void anExchangeLearnedThroughOneInstanceIsServedLocallyByTheOther() {
        String url = TestPostgres.shared().newDatabase();
        try (RunningApp a = RunningApp.startIn(TEACHER.baseUrl(), dirA, learning(url), Clock.systemUTC());
             RunningApp b = RunningApp.startIn(TEACHER.baseUrl(), dirB, learning(url), Clock.systemUTC())) {
            TEACHER.answerWith(r -> "Paris is the capital of France.");
            assertThat(route(ask(a, null, "What is the capital of France?")), is("forward"));
            await("B has what A learned", () -> b.app().learning().memory().size() == 1);
            int asked = TEACHER.received().size();
            HttpResponse<String> fromB = ask(b, null, "What is the capital of France?");
            assertThat(fromB.body(), route(fromB), is("local"));
            assertThat(text(fromB), is("Paris is the capital of France."));
            assertThat("the teacher was not asked again", TEACHER.received().size(), is(asked));
            // A new instance (a fresh data dir) rebuilds its copy from the table and serves it too.
            try (RunningApp c = RunningApp.startIn(TEACHER.baseUrl(), dirA.resolve("c"), learning(url),
                    Clock.systemUTC())) {
                HttpResponse<String> fromC = ask(c, null, "What is the capital of France?");
                assertThat(route(fromC), is("local"));
                assertThat(text(fromC), is("Paris is the capital of France."));
            }
        }
    }

    @Test
    void withoutStoreTextNoPromptReachesTheDatabaseAndTheSameRequestIsStillServed() throws Exception {
        String url = TestPostgres.shared().newDatabase();
        try (RunningApp a = RunningApp.startIn(TEACHER.baseUrl(), dirA, learning(url), Clock.systemUTC());
             RunningApp b = RunningApp.startIn(TEACHER.baseUrl(), dirB, learning(url), Clock.systemUTC())) {
            TEACHER.answerWith(r -> "Use a wok.");
            ask(a, null, "Hi! How do I stir fry vegetables?");
            try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("select prompt, answer, prefixes, shape_key from exchanges")) {
                r.next();
                assertThat(r.getString("prompt"), nullValue());
                assertThat(r.getString("answer"), containsString("Use a wok."));
                assertThat("the courtesy phrase is kept, not the request", r.getString("prefixes"), is("{hi}"));
            }
            await("B has it", () -> b.app().learning().memory().size() == 1);
            HttpResponse<String> same = ask(b, null, "hi!  how do I stir fry vegetables");
            assertThat(same.body(), route(same), is("local"));
            assertThat(text(same), is("Use a wok."));
        }
    }

    @Test
    void evidenceForAWrapperMeasuredOnOneInstanceLetsTheOtherServeTheWrappedRequestWithoutThePromptText() {
        String url = TestPostgres.shared().newDatabase();
        try (RunningApp a = RunningApp.startIn(TEACHER.baseUrl(), dirA, learning(url), Clock.systemUTC());
             RunningApp b = RunningApp.startIn(TEACHER.baseUrl(), dirB, learning(url), Clock.systemUTC())) {
            TEACHER.answerWith(r -> "Boil it for ten minutes.");
            ask(a, null, "Hi! How long do I boil an egg?");
            // Comparisons A made (counted once each, through the store): "hi" in front changes nothing.
            for (int i = 0; i < dev.shammah.routing.WrongRate.passesNeeded(0.001, true); i++) {
                evidence(a).recordKind("default", "pre:hi", true);
            }
            await("B has the exchange and the evidence", () -> b.app().learning().memory().size() == 1
                    && evidence(b).tenant("default").kind("pre:hi").passes()
                    == dev.shammah.routing.WrongRate.passesNeeded(0.001, true));
            // B holds no prompt text for it: the stored form is rebuilt from its courtesy phrase and the core.
            HttpResponse<String> bare = ask(b, null, "How long do I boil an egg?");
            assertThat(bare.body(), route(bare), is("local"));
            assertThat(lastReason(b), is("wrapped"));
            assertThat(text(bare), is("Boil it for ten minutes."));
            // A word changed inside the request is another request, prompt text or not.
            TEACHER.answerWith(r -> "Seven minutes.");
            assertThat(route(ask(b, null, "How long do I boil a duck egg?")), is("forward"));
        }
    }

    @Test
    void aFailedVerificationRecordedOnOneInstanceStopsTheOtherServingThatExchange() {
        String url = TestPostgres.shared().newDatabase();
        Map<String, String> verifying = new HashMap<>(learning(url));
        verifying.put("learning.verify-rate", "1");
        try (RunningApp a = RunningApp.startIn(TEACHER.baseUrl(), dirA, learning(url), Clock.systemUTC());
             RunningApp b = RunningApp.startIn(TEACHER.baseUrl(), dirB, verifying, Clock.systemUTC())) {
            TEACHER.answerWith(r -> "The meeting is on Monday.");
            ask(a, null, "When is the team meeting?");
            assertThat(route(ask(a, null, "When is the team meeting?")), is("local"));
            await("B has it", () -> b.app().learning().memory().size() == 1);

            // The teacher now answers differently: B serves the stored answer, checks it, and records the failure.
            TEACHER.answerWith(r -> "The meeting moved to Tuesday.");
            assertThat(route(ask(b, null, "When is the team meeting?")), is("local"));
            await("B recorded the failure", () -> evidence(b).tenant("default").blockedShapes() == 1);
            await("A heard of it", () -> evidence(a).tenant("default").blockedShapes() == 1);

            HttpResponse<String> fromA = ask(a, null, "When is the team meeting?");
            assertThat(route(fromA), is("forward"));
            assertThat(lastReason(a), is("blocked"));
            assertThat(text(fromA), is("The meeting moved to Tuesday."));
        }
    }

    @Test
    void whatOneInstanceForgetsTheOtherForgetsAndNoTenantReachesAnother() {
        String url = TestPostgres.shared().newDatabase();
        Map<String, String> secured = new HashMap<>(learning(url));
        secured.put("server.auth-enabled", "true");
        secured.put("server.api-keys", ApiKeys.hashed(ALICE) + "," + ApiKeys.hashed(BOB));
        secured.put("server.admin-keys", ApiKeys.hashed(ADMIN));
        try (RunningApp a = RunningApp.startIn(TEACHER.baseUrl(), dirA, secured, Clock.systemUTC());
             RunningApp b = RunningApp.startIn(TEACHER.baseUrl(), dirB, secured, Clock.systemUTC())) {
            TEACHER.answerWith(r -> "Alice's secret: hunter2");
            ask(a, ALICE, "What is our wifi password?");
            await("B has it", () -> b.app().learning().memory().size() == 1);
            TEACHER.answerWith(r -> "Bob's own answer");
            HttpResponse<String> bob = ask(b, BOB, "What is our wifi password?");
            assertThat(route(bob), is("forward"));
            assertThat(text(bob), is("Bob's own answer"));
            assertThat(route(ask(b, ALICE, "What is our wifi password?")), is("local"));

            String alice = ApiKeys.keyId(ALICE);
            HttpResponse<String> forgot = a.send(HttpRequest.newBuilder(a.uri("/admin/tenants/" + alice + "/exchanges"))
                    .header("x-api-key", ADMIN).DELETE().build());
            assertThat(forgot.body(), forgot.statusCode(), is(200));
            await("B forgot it too", () -> b.app().learning().memory().count(alice) == 0);
            TEACHER.answerWith(r -> "asked again");
            assertThat(route(ask(b, ALICE, "What is our wifi password?")), is("forward"));
        }
    }
}
