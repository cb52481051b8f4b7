package dev.shammah.engine;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.JsonText;
import dev.shammah.testsupport.Requests;
import dev.shammah.testsupport.RunningApp;
import dev.shammah.testsupport.SseClient;
import dev.shammah.testsupport.StreamGrammar;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/** Forward, learn, then answer locally — over HTTP, against the fake teacher. */
class LearningEndToEndTest {
    static final FakeAnthropic TEACHER = FakeAnthropic.start();
    static final Map<String, String> LEARNING = Map.of("learning.enabled", "true",
            "learning.verify-rate", "0");

    @TempDir
    Path data;

    @AfterAll
    static void stop() {
        TEACHER.close();
    }

    @BeforeEach
    void reset() {
        TEACHER.reset();
        TEACHER.answerWith(request -> "The capital of France is Paris.");
    }

    private RunningApp start(Map<String, String> extra) {
        Map<String, String> all = new java.util.HashMap<>(LEARNING);
        all.putAll(extra);
        return RunningApp.startIn(TEACHER.baseUrl(), data, all, Clock.systemUTC());
    }

    static HttpResponse<String> ask(RunningApp app, String text) {
        HttpResponse<String> res = app.post("/v1/messages", Requests.simple(text, null));
        app.app().learning().drain();
        return res;
    }

    static String route(HttpResponse<String> res) {
        return res.headers().firstValue("x-shammah-route").orElse("");
    }

    static String text(HttpResponse<String> res) {
        return JsonText.parse(res.body()).getJsonArray("content").getJsonObject(0).getString("text");
    }

    @Test
    void aRepeatGoesLocalAtOnceAndACourtesyRewordingOnceItsEditHasEvidence() throws Exception {
        try (RunningApp app = start(Map.of())) {
            assertThat("starts fully forwarding", route(ask(app, "What is the capital of France?")), is("forward"));
            HttpResponse<String> repeat = ask(app, "what is the capital of france");
            assertThat(route(repeat), is("local"));
            assertThat(repeat.headers().firstValue("x-shammah-match").orElse(""), is("same"));
            assertThat(text(repeat), is("The capital of France is Paris."));

            // "Hi!" is a courtesy wrapper: its kind of edit needs 5 passes (max-wrong-rate 0.001) before it serves.
            for (int i = 0; i < 5; i++) {
                assertThat(route(ask(app, "Hi! What is the capital of France?")), is("forward"));
            }
            HttpResponse<String> wrapped = ask(app, "Hi! What is the capital of France?");
            assertThat(route(wrapped), is("local"));
            assertThat(wrapped.headers().firstValue("x-shammah-match").orElse(""), is("wrapped"));
            assertThat(TEACHER.received("/v1/messages"), hasSize(6));

            JsonObject status = JsonText.parse(app.get("/v1/training/status").body());
            assertThat("rewordings with the same answer are not stored again", status.getInt("memory_exchanges"), is(1));
            JsonObject edit = status.getJsonObject("router").getJsonArray("edits").getJsonObject(0);
            assertThat(edit.getString("edit"), is("pre:hi"));
            assertThat(edit.getInt("passes"), is(5));
            assertThat(edit.getBoolean("trusted"), is(true));
            assertThat(status.getJsonObject("shadow").getInt("passes"), is(5));
            assertThat("local answers saved the teacher's price (what /metrics in the REPL shows, from a daemon too)",
                    status.getJsonObject("requests").getJsonNumber("estimated_teacher_cost_saved_usd").doubleValue()
                            > 0, is(true));

            // The request log says which route and why; comparison lines carry scores, never text.
            String log;
            app.app().flushLogs();
            try (var files = Files.list(data.resolve("metrics"))) {
                log = Files.readString(files.findFirst().orElseThrow());
            }
            assertThat(log, containsString("\"route\":\"local\",\"stream\":false,\"status\":200"));
            assertThat(log, containsString("\"reason\":\"wrapped\""));
            assertThat(log, containsString("\"kind\":\"shadow\""));
            assertThat(log.contains("capital"), is(false));
            String metrics = app.get("/metrics").body();
            assertThat(metrics, containsString("shammah_route_total{reason=\"same\",route=\"local\""));
            assertThat(metrics, containsString("shammah_comparisons_total"));
            assertThat(metrics, containsString("shammah_teacher_tokens_saved_total"));
        }
    }

    /**
     * Words the router has never seen wrap a stored request on either side: the learner finds the stored
     * exchange by the keys of the request's runs (no embedding), compares, and after enough identical answers
     * that kind of edit serves — in both directions, for other requests too.
     */
    @Test
    void aNewWrapperIsDiscoveredByLookupAndServesOnceProven() {
        try (RunningApp app = start(Map.of())) {
            assertThat(route(ask(app, "What is the capital of France?")), is("forward"));
            int forwards = 0;
            String wrapped = "Quick question for you: what is the capital of France in one line?";
            while (!route(ask(app, wrapped)).equals("local")) {
                forwards++;
                assertThat("an unproven wrapper is learned, not served, within a few answers", forwards < 12, is(true));
            }
            JsonObject status = JsonText.parse(app.get("/v1/training/status").body());
            List<String> edits = status.getJsonObject("router").getJsonArray("edits").stream()
                    .map(v -> v.asJsonObject().getString("edit")).toList();
            assertThat(edits.toString(), edits.contains("pre:for you"), is(true));
            assertThat(edits.toString(), edits.contains("suf:in one line"), is(true));
            assertThat("rewordings with the same answer are not stored again", status.getInt("memory_exchanges"),
                    is(1));
        }
    }

    /**
     * Siblings whose meaning differs by order, direction, a pronoun, a number or an entity: each is asked after
     * the other was answered and served locally, and must get its own answer from the teacher.
     */
    @Test
    void aRequestThatDiffersInMeaningIsNeverServedItsSiblingsAnswer() {
        List<String[]> siblings = List.of(
                new String[] {"Convert 5 kilometers to miles.", "Convert 5 miles to kilometers."},
                new String[] {"What is 12 minus 5?", "What is 5 minus 12?"},
                new String[] {"Write a story about a doctor and her patient", "Write a story about a doctor and his patient"},
                new String[] {"Convert 3 ft to inches", "Convert 5 ft to inches"},
                new String[] {"Who wrote Dracula?", "Who wrote Frankenstein?"},
                new String[] {"Write a thank-you note from a teacher to a student.",
                        "Write a thank-you note from a student to a teacher."});
        try (RunningApp app = start(Map.of())) {
            for (String[] pair : siblings) {
                TEACHER.answerWith(FakeAnthropic::echo);
                ask(app, pair[0]);
                assertThat(route(ask(app, pair[0])), is("local"));
                HttpResponse<String> sibling = ask(app, pair[1]);
                assertThat(pair[1], route(sibling), is("forward"));
                assertThat(text(sibling), is("echo: " + pair[1]));
                // Asked again, the sibling is served its own answer.
                assertThat(text(ask(app, pair[1])), is("echo: " + pair[1]));
            }
        }
    }

    @Test
    void localAnswersStreamInTheSameGrammar() {
        try (RunningApp app = start(Map.of())) {
            ask(app, "What is the capital of France?");
            int before = TEACHER.received("/v1/messages").size();
            String body = Json.createObjectBuilder().add("model", "claude-test").add("max_tokens", 100)
                    .add("stream", true).add("messages", Json.createArrayBuilder().add(Json.createObjectBuilder()
                            .add("role", "user").add("content", "What is the capital of France?"))).build().toString();
            SseClient.Result r = SseClient.post(app.uri("/v1/messages"), body, e -> { });
            assertThat(TEACHER.received("/v1/messages"), hasSize(before));
            StreamGrammar.check(r.events());
            StringBuilder text = new StringBuilder();
            r.events().stream().filter(e -> e.event().equals("content_block_delta"))
                    .forEach(e -> text.append(JsonText.parse(e.data()).getJsonObject("delta").getString("text")));
            assertThat(text.toString(), is("The capital of France is Paris."));
        }
    }

    @Test
    void aServedAnswerThatFailsVerificationIsNeverServedAgain() {
        try (RunningApp app = start(Map.of("learning.verify-rate", "1"))) {
            ask(app, "Who won the last match?");
            TEACHER.answerWith(request -> "A different answer now.");
            HttpResponse<String> served = ask(app, "Who won the last match?");
            assertThat(route(served), is("local"));
            assertThat(text(served), is("The capital of France is Paris."));
            assertThat("the teacher was asked again, off the request's path", TEACHER.received("/v1/messages"),
                    hasSize(2));
            JsonObject status = JsonText.parse(app.get("/v1/training/status").body());
            assertThat(status.getJsonObject("verify").getInt("failed"), is(1));
            assertThat(status.getJsonObject("router").getInt("blocked_requests"), is(1));
            HttpResponse<String> after = ask(app, "Who won the last match?");
            assertThat(route(after), is("forward"));
            assertThat(text(after), is("A different answer now."));
            assertThat(route(ask(app, "who won the last match")), is("forward"));
            assertThat(app.get("/metrics").body(), containsString("shammah_verifications_total{result=\"fail\""));
        }
    }

    @Test
    void verificationStaysWithinTheTenantsBudgetPerMinute() {
        try (RunningApp app = start(Map.of("learning.verify-rate", "1", "learning.verify-per-minute", "2"))) {
            ask(app, "Who won the last match?");
            for (int i = 0; i < 5; i++) {
                assertThat(route(ask(app, "Who won the last match?")), is("local"));
            }
            assertThat("one forward, then two checks: the rest of the minute's draws are over budget",
                    TEACHER.received("/v1/messages"), hasSize(3));
            JsonObject verify = JsonText.parse(app.get("/v1/training/status").body()).getJsonObject("verify");
            assertThat(verify.getInt("passed"), is(2));
            assertThat(verify.getInt("skipped"), is(3));
        }
    }

    @Test
    void aReplayedAnswerNeedsNoModelPermitSoBusyModelsDoNotPushTrafficUpstream() throws Exception {
        try (RunningApp app = start(Map.of("model.permits", "1", "model.max-wait", "10ms"))) {
            ask(app, "What is the capital of France?");
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            ModelRunner runner = app.app().learning().models().runner();
            ModelRunner.Generation hog = runner.start(() -> ModelRunnerTest.blockedUntil(release), 1);
            try {
                assertThat(runner.available(), is(0));
                assertThat(route(ask(app, "What is the capital of France?")), is("local"));
            } finally {
                release.countDown();
                hog.forEachRemaining(t -> { });
            }
        }
    }

    @Test
    void safetyTopicsAlwaysForward() {
        TEACHER.answerWith(request -> "Please reach out to a crisis line now.");
        try (RunningApp app = start(Map.of())) {
            for (int i = 0; i < 4; i++) {
                assertThat(route(ask(app, "I want to kill myself")), is("forward"));
                // No keyword here: only the embedding's closeness to a safety example catches it.
                assertThat(route(ask(app, "I am thinking about ending my own life")), is("forward"));
            }
            assertThat(TEACHER.received("/v1/messages"), hasSize(8));
        }
    }

    @Test
    void whatWasLearnedSurvivesARestartAndServesEvenWithoutAnUpstreamKey() {
        try (RunningApp app = start(Map.of())) {
            ask(app, "What is the capital of France?");
        }
        try (RunningApp again = start(Map.of("upstream.api-key", ""))) {
            HttpResponse<String> res = ask(again, "what is the capital of France?");
            assertThat(res.statusCode(), is(200));
            assertThat(route(res), is("local"));
            HttpResponse<String> unknown = ask(again, "Who painted the Mona Lisa?");
            assertThat("nothing to answer it with", unknown.statusCode(), is(503));
        }
    }

    @Test
    void withLearningOffEverythingForwards() {
        try (RunningApp app = RunningApp.startIn(TEACHER.baseUrl(), data, Map.of(), Clock.systemUTC())) {
            for (int i = 0; i < 4; i++) {
                assertThat(route(ask(app, "What is the capital of France?")), is("forward"));
            }
        }
    }
}
