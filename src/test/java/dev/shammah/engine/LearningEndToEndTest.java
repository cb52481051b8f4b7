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
import dev.shammah.testsupport.TestConfigs;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/** Forward, learn, then answer locally — over HTTP, against the fake teacher. */
class LearningEndToEndTest {
    static final FakeAnthropic TEACHER = FakeAnthropic.start();
    // A low bar so a handful of requests decide; docs/LEARNING.md explains the production defaults.
    static final Map<String, String> LEARNING = Map.of("learning.enabled", "true", "learning.min-evidence", "3",
            "learning.target-quality", "0.8", "model.student.enabled", "false",
            "learning.explore-rate", "0");

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

    private static HttpResponse<String> ask(RunningApp app, String text) {
        HttpResponse<String> res = app.post("/v1/messages", Requests.simple(text, null));
        app.app().engine().learning().drain();
        return res;
    }

    @Test
    void repeatedAndRewordedRequestsGoLocalOnceTheValidatorHasEvidence() throws Exception {
        try (RunningApp app = start(Map.of())) {
            List<String> asks = List.of("What is the capital of France?", "what is the capital of france",
                    "Please, what is the capital of France? Thanks!", "What is the capital of France?",
                    "WHAT IS THE CAPITAL OF FRANCE?", "What is the capital of France?");
            String firstRoute = null;
            String lastRoute = null;
            for (String q : asks) {
                HttpResponse<String> res = ask(app, q);
                assertThat(res.statusCode(), is(200));
                assertThat(JsonText.parse(res.body()).getJsonArray("content").getJsonObject(0).getString("text"),
                        is("The capital of France is Paris."));
                String route = res.headers().firstValue("x-shammah-route").orElse("");
                firstRoute = firstRoute == null ? route : firstRoute;
                lastRoute = route;
            }
            assertThat("starts fully forwarding", firstRoute, is("forward"));
            assertThat(lastRoute, is("local"));
            int forwarded = TEACHER.received("/v1/messages").size();
            assertThat("the teacher stopped being asked", forwarded < asks.size(), is(true));

            JsonObject status = JsonText.parse(app.get("/v1/training/status").body());
            // Rewordings are kept (they widen what is recognised); exact repeats with the same answer are not.
            assertThat(status.getInt("memory_exchanges") >= 1 && status.getInt("memory_exchanges") < forwarded,
                    is(true));
            assertThat(status.getJsonObject("validator").getInt("passes"), greaterThan(2));

            // The request log says which route, why, and how sure; shadow lines carry scores, never text.
            String log;
            try (var files = Files.list(data.resolve("metrics"))) {
                log = Files.readString(files.findFirst().orElseThrow());
            }
            assertThat(log, containsString("\"route\":\"local\",\"stream\":false,\"status\":200"));
            assertThat(log, containsString("\"reason\":\"confident\""));
            assertThat(log, containsString("\"kind\":\"shadow\""));
            assertThat(log.contains("capital"), is(false));
            String metrics = app.get("/metrics").body();
            assertThat(metrics, containsString("shammah_route_total{reason=\"confident\",route=\"local\""));
            assertThat(metrics, containsString("shammah_validator_score_bucket"));
            assertThat(metrics, containsString("shammah_teacher_tokens_saved_total"));
        }
    }

    @Test
    void aDifferentQuestionIsNeverAnsweredFromMemory() {
        try (RunningApp app = start(Map.of())) {
            for (int i = 0; i < 6; i++) {
                ask(app, "What is the capital of France?");
            }
            TEACHER.answerWith(request -> "Rome.");
            HttpResponse<String> other = ask(app, "What is the capital of Italy?");
            assertThat(other.headers().firstValue("x-shammah-route").orElse(""), is("forward"));
            assertThat(JsonText.parse(other.body()).getJsonArray("content").getJsonObject(0).getString("text"),
                    is("Rome."));
            HttpResponse<String> numbers = ask(app, "Convert 3 ft to inches");
            ask(app, "Convert 3 ft to inches");
            assertThat(ask(app, "Convert 5 ft to inches").headers().firstValue("x-shammah-route").orElse(""),
                    is("forward"));
            assertThat(numbers.statusCode(), is(200));
        }
    }

    @Test
    void localAnswersStreamInTheSameGrammar() {
        try (RunningApp app = start(Map.of())) {
            for (int i = 0; i < 6; i++) {
                ask(app, "What is the capital of France?");
            }
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
    void safetyTopicsAlwaysForward() {
        TEACHER.answerWith(request -> "Please reach out to a crisis line now.");
        try (RunningApp app = start(Map.of())) {
            for (int i = 0; i < 8; i++) {
                HttpResponse<String> res = ask(app, "I want to kill myself");
                assertThat(res.headers().firstValue("x-shammah-route").orElse(""), is("forward"));
            }
            assertThat(TEACHER.received("/v1/messages"), hasSize(8));
        }
    }

    @Test
    void whatWasLearnedSurvivesARestartAndServesEvenWithoutAnUpstreamKey() {
        try (RunningApp app = start(Map.of())) {
            for (int i = 0; i < 6; i++) {
                ask(app, "What is the capital of France?");
            }
        }
        try (RunningApp again = start(Map.of("upstream.api-key", ""))) {
            HttpResponse<String> res = ask(again, "what is the capital of France?");
            assertThat(res.statusCode(), is(200));
            assertThat(res.headers().firstValue("x-shammah-route").orElse(""), is("local"));
            HttpResponse<String> unknown = ask(again, "Who painted the Mona Lisa?");
            assertThat("nothing to answer it with", unknown.statusCode(), is(503));
        }
    }

    @Test
    void withLearningOffEverythingForwards() {
        try (RunningApp app = RunningApp.startIn(TEACHER.baseUrl(), data, Map.of(), Clock.systemUTC())) {
            for (int i = 0; i < 8; i++) {
                assertThat(ask(app, "What is the capital of France?").headers().firstValue("x-shammah-route")
                        .orElse(""), is("forward"));
            }
        }
        assertThat(TestConfigs.class.getSimpleName(), is("TestConfigs"));
    }
}
