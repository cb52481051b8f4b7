package dev.shammah.engine;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.shammah.local.Checkpoints;
import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.JsonText;
import dev.shammah.testsupport.RunningApp;
import dev.shammah.testsupport.SseClient;
import dev.shammah.testsupport.StreamGrammar;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/** The student served over HTTP as model "shammah-student": reload and rollback, also under load. */
class StudentEndToEndTest {
    static final FakeAnthropic TEACHER = FakeAnthropic.start();
    static final Map<String, String> SMALL_STUDENT = Map.of("learning.enabled", "true", "model.student.enabled", "true",
            "model.student.dim", "32", "model.student.heads", "2", "model.student.layers", "1",
            "model.student.max-len", "48", "training.steps-per-batch", "1", "training.learning-rate", "0.01");

    @TempDir
    Path data;

    @AfterAll
    static void stop() {
        TEACHER.close();
    }

    static String ask(String text, boolean stream) {
        return ask("shammah-student", text, stream);
    }

    static String ask(String model, String text, boolean stream) {
        return Json.createObjectBuilder().add("model", model).add("max_tokens", 64).add("stream", stream)
                .add("messages", Json.createArrayBuilder().add(Json.createObjectBuilder().add("role", "user")
                        .add("content", text))).build().toString();
    }

    private static Checkpoints.Manifest train(RunningApp app, int rounds) {
        var trainer = app.app().engine().learning().models().student().trainer();
        List<String[]> pairs = List.of(new String[] {"capital of France?", "Paris."},
                new String[] {"capital of Italy?", "Rome."});
        for (int i = 0; i < rounds; i++) {
            trainer.trainOn(pairs);
        }
        return trainer.checkpoint();
    }

    @Test
    void theStudentAnswersOnceItHasACheckpointAndReloadsWithoutFailingRequests() throws Exception {
        try (RunningApp app = RunningApp.startIn(TEACHER.baseUrl(), data, SMALL_STUDENT, Clock.systemUTC())) {
            HttpResponse<String> early = app.post("/v1/messages", ask("capital of France?", false));
            assertThat(early.statusCode(), is(503));
            assertThat(JsonText.parse(early.body()).getJsonObject("error").getString("message"),
                    containsString("no checkpoint yet"));
            assertThat(app.get("/v1/models").body(), containsString("\"id\":\"shammah-student\""));

            Checkpoints.Manifest first = train(app, 300);
            HttpResponse<String> res = app.post("/v1/messages", ask("capital of France?", false));
            assertThat(res.statusCode(), is(200));
            assertThat(res.headers().firstValue("x-shammah-route").orElse(""), is("local"));
            JsonObject body = JsonText.parse(res.body());
            assertThat(body.getJsonArray("content").getJsonObject(0).getString("text"), is("Paris."));
            assertThat(TEACHER.received("/v1/messages"), hasSize(0));

            SseClient.Result streamed = SseClient.post(app.uri("/v1/messages"), ask("capital of Italy?", true), e -> { });
            StreamGrammar.check(streamed.events());

            // Requests keep flowing while checkpoints are reloaded and rolled back: none may fail.
            AtomicBoolean stop = new AtomicBoolean();
            List<Future<Integer>> load = new ArrayList<>();
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int c = 0; c < 4; c++) {
                    load.add(pool.submit((Callable<Integer>) () -> {
                        int failures = 0;
                        while (!stop.get()) {
                            if (app.post("/v1/messages", ask("capital of Italy?", false)).statusCode() != 200) {
                                failures++;
                            }
                        }
                        return failures;
                    }));
                }
                for (int i = 0; i < 3; i++) {
                    Checkpoints.Manifest next = train(app, 2);
                    HttpResponse<String> reload = app.send(HttpRequest.newBuilder(app.uri("/admin/reload_models"))
                            .POST(HttpRequest.BodyPublishers.noBody()).build());
                    assertThat(reload.statusCode(), is(200));
                    assertThat(JsonText.parse(reload.body()).getString("serving"), is(next.name()));
                }
                HttpResponse<String> rollback = app.send(HttpRequest.newBuilder(app.uri("/admin/rollback"))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"checkpoint\":\"" + first.name() + "\"}")).build());
                assertThat(rollback.statusCode(), is(200));
                assertThat(JsonText.parse(rollback.body()).getString("serving"), is(first.name()));
                stop.set(true);
                for (Future<Integer> f : load) {
                    assertThat("requests failed during a swap", f.get(), is(0));
                }
            }
            JsonObject status = JsonText.parse(app.get("/v1/training/status").body());
            assertThat(status.getJsonObject("student").getJsonObject("serving").getString("checkpoint"),
                    is(first.name()));
            assertThat(app.get("/admin/checkpoints").body(), containsString("\"serving\":true"));
            String metrics = app.get("/metrics").body();
            assertThat(metrics, containsString("shammah_training_steps"));
            assertThat(metrics, containsString("shammah_training_loss"));
        }
    }

    @Test
    void theUsersOwnTorchScriptModelIsServedByName() throws Exception {
        Path modelDir = data.resolve("my-model");
        dev.shammah.testsupport.TinyTorchScript.write(modelDir, List.of("<unk>", "</s>", "hello", "world", "again"),
                List.of("hello", "world", "again"));
        Map<String, String> config = new java.util.HashMap<>(SMALL_STUDENT);
        config.put("model.path", modelDir.toString());
        try (RunningApp app = RunningApp.startIn(TEACHER.baseUrl(), data.resolve("d"), config, Clock.systemUTC())) {
            HttpResponse<String> res = app.post("/v1/messages", ask("shammah-user", "hello", false));
            assertThat(res.statusCode(), is(200));
            assertThat(JsonText.parse(res.body()).getJsonArray("content").getJsonObject(0).getString("text"),
                    is("world again"));
            assertThat(app.get("/v1/models").body(), containsString("\"id\":\"shammah-user\""));
            SseClient.Result streamed = SseClient.post(app.uri("/v1/messages"), ask("shammah-user", "hello", true),
                    e -> { });
            StreamGrammar.check(streamed.events());
            HttpResponse<String> reload = app.send(HttpRequest.newBuilder(app.uri("/admin/reload_models"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build());
            assertThat(reload.statusCode(), is(200));
        }
        try (RunningApp none = RunningApp.startIn(TEACHER.baseUrl(), data.resolve("e"), SMALL_STUDENT,
                Clock.systemUTC())) {
            HttpResponse<String> res = none.post("/v1/messages", ask("shammah-user", "hello", false));
            assertThat(res.statusCode(), is(503));
            assertThat(res.body(), containsString("model.path"));
        }
    }
}
