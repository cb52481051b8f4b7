package dev.shammah.engine;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.JsonText;
import dev.shammah.testsupport.RunningApp;
import dev.shammah.testsupport.SseClient;
import dev.shammah.testsupport.StreamGrammar;
import jakarta.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * A TorchScript model in {@code model.path} served as "shammah-user" over HTTP; the retired byte-level student is
 * no model of Shammah's any more, and without LoRA the adapter endpoints say so.
 */
class UserModelEndToEndTest {
    static final FakeAnthropic TEACHER = FakeAnthropic.start();
    static final Map<String, String> LEARNING = Map.of("learning.enabled", "true");

    @TempDir
    Path data;

    @AfterAll
    static void stop() {
        TEACHER.close();
    }

    static String ask(String model, String text, boolean stream) {
        return Json.createObjectBuilder().add("model", model).add("max_tokens", 64).add("stream", stream)
                .add("messages", Json.createArrayBuilder().add(Json.createObjectBuilder().add("role", "user")
                        .add("content", text))).build().toString();
    }

    @Test
    void theUsersOwnTorchScriptModelIsServedByName() throws Exception {
        Path modelDir = data.resolve("my-model");
        dev.shammah.testsupport.TinyTorchScript.write(modelDir, List.of("<unk>", "</s>", "hello", "world", "again"),
                List.of("hello", "world", "again"));
        Map<String, String> config = new java.util.HashMap<>(LEARNING);
        config.put("model.path", modelDir.toString());
        try (RunningApp app = RunningApp.startIn(TEACHER.baseUrl(), data.resolve("d"), config, Clock.systemUTC())) {
            HttpResponse<String> res = app.post("/v1/messages", ask("shammah-user", "hello", false));
            assertThat(res.statusCode(), is(200));
            assertThat(JsonText.parse(res.body()).getJsonArray("content").getJsonObject(0).getString("text"),
                    is("world again"));
            String models = app.get("/v1/models").body();
            assertThat(models, containsString("\"id\":\"shammah-user\""));
            assertThat(models, not(containsString("shammah-student")));
            SseClient.Result streamed = SseClient.post(app.uri("/v1/messages"), ask("shammah-user", "hello", true),
                    e -> { });
            StreamGrammar.check(streamed.events());
            HttpResponse<String> reload = app.send(HttpRequest.newBuilder(app.uri("/admin/reload_models"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build());
            assertThat(reload.statusCode(), is(200));
            HttpResponse<String> adapters = app.get("/admin/checkpoints");
            assertThat(adapters.statusCode(), is(404));
            assertThat(adapters.body(), containsString("model.lora.enabled"));
        }
        try (RunningApp none = RunningApp.startIn(TEACHER.baseUrl(), data.resolve("e"), LEARNING,
                Clock.systemUTC())) {
            HttpResponse<String> res = none.post("/v1/messages", ask("shammah-user", "hello", false));
            assertThat(res.statusCode(), is(503));
            assertThat(res.body(), containsString("model.path"));
        }
    }
}
