package dev.shammah.api;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.JsonText;
import dev.shammah.testsupport.Requests;
import dev.shammah.testsupport.RunningApp;
import dev.shammah.testsupport.SecuredConfig;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * {@code POST /v1/chat/completions} as an OpenAI client calls it: answers and streams in OpenAI's shapes, a tool
 * loop, errors in OpenAI's shape, and local answers shared with the Messages API — a question learned through
 * one format is answered locally through the other.
 */
class ChatCompletionsTest {
    static final FakeAnthropic TEACHER = FakeAnthropic.start();
    static final String KEY = "client-key";

    @TempDir
    Path data;

    @AfterAll
    static void stop() {
        TEACHER.close();
    }

    @BeforeEach
    void reset() {
        TEACHER.reset();
        TEACHER.answerWith(r -> "Paris.");
    }

    private RunningApp start(Map<String, String> extra) {
        return RunningApp.startIn(TEACHER.baseUrl(), data, SecuredConfig.of(extra, null, KEY), Clock.systemUTC());
    }

    private static HttpResponse<String> chat(RunningApp app, String body) {
        HttpResponse<String> res = app.send(HttpRequest.newBuilder(app.uri("/v1/chat/completions"))
                .header("content-type", "application/json").header("authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        app.app().learning().drain();
        return res;
    }

    private static String question(String text) {
        return Json.createObjectBuilder().add("model", "claude-sonnet-4-5").add("messages", Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("role", "user").add("content", text))).build().toString();
    }

    private static String route(HttpResponse<String> res) {
        return res.headers().firstValue("x-shammah-route").orElse("");
    }

    @Test
    void anAnswerInOpenAisShapeThenTheSameQuestionLocally() {
        try (RunningApp app = start(Map.of())) {
            HttpResponse<String> first = chat(app, question("What is the capital of France?"));
            assertThat(first.body(), first.statusCode(), is(200));
            assertThat(route(first), is("forward"));
            JsonObject body = JsonText.parse(first.body());
            assertThat(body.getString("object"), is("chat.completion"));
            assertThat(body.getString("id"), startsWith("chatcmpl-"));
            JsonObject choice = body.getJsonArray("choices").getJsonObject(0);
            assertThat(choice.getJsonObject("message").getString("content"), is("Paris."));
            assertThat(choice.getString("finish_reason"), is("stop"));
            assertThat(body.getJsonObject("usage").getInt("total_tokens"), is(body.getJsonObject("usage")
                    .getInt("prompt_tokens") + body.getJsonObject("usage").getInt("completion_tokens")));
            JsonObject upstream = TEACHER.last().body();
            assertThat("Claude was asked the same words", upstream.getJsonArray("messages").getJsonObject(0)
                    .getString("content"), is("What is the capital of France?"));
            assertThat("the client's key is not sent on as a Bearer token",
                    TEACHER.last().header("authorization"), is((String) null));

            HttpResponse<String> again = chat(app, question("What is the capital of France?"));
            assertThat(route(again), is("local"));
            assertThat(JsonText.parse(again.body()).getJsonArray("choices").getJsonObject(0)
                    .getJsonObject("message").getString("content"), is("Paris."));
            assertThat("the teacher was asked once", TEACHER.received("/v1/messages").size(), is(1));
        }
    }

    @Test
    void learnedThroughOneFormatAnsweredLocallyThroughTheOther() {
        try (RunningApp app = start(Map.of())) {
            HttpResponse<String> anthropic = app.send(HttpRequest.newBuilder(app.uri("/v1/messages"))
                    .header("content-type", "application/json").header("x-api-key", KEY)
                    .POST(HttpRequest.BodyPublishers.ofString(Requests.simple("Name a prime number.", null))).build());
            app.app().learning().drain();
            assertThat(route(anthropic), is("forward"));
            assertThat(route(chat(app, question("Name a prime number."))), is("local"));

            assertThat(route(chat(app, question("Name an even number."))), is("forward"));
            HttpResponse<String> back = app.send(HttpRequest.newBuilder(app.uri("/v1/messages"))
                    .header("content-type", "application/json").header("x-api-key", KEY)
                    .POST(HttpRequest.BodyPublishers.ofString(Requests.simple("Name an even number.", null))).build());
            assertThat(route(back), is("local"));
        }
    }

    @Test
    void aStreamOfChunksWithUsageThenDone() {
        try (RunningApp app = start(Map.of())) {
            HttpResponse<String> res = chat(app, """
                    {"model":"claude-sonnet-4-5","stream":true,"stream_options":{"include_usage":true},
                     "messages":[{"role":"user","content":"What is the capital of France?"}]}""");
            assertThat(res.body(), res.statusCode(), is(200));
            assertThat(res.headers().firstValue("content-type").orElse(""), startsWith("text/event-stream"));
            List<String> data = new ArrayList<>();
            for (String line : res.body().split("\n")) {
                assertThat("no event names in OpenAI's stream", line.startsWith("event:"), is(false));
                if (line.startsWith("data: ")) {
                    data.add(line.substring(6));
                }
            }
            assertThat(data.getLast(), is("[DONE]"));
            JsonObject first = JsonText.parse(data.getFirst());
            assertThat(first.getString("object"), is("chat.completion.chunk"));
            assertThat(first.getJsonArray("choices").getJsonObject(0).getJsonObject("delta").getString("role"),
                    is("assistant"));
            StringBuilder text = new StringBuilder();
            String finish = null;
            for (String d : data.subList(0, data.size() - 2)) {
                JsonObject choice = JsonText.parse(d).getJsonArray("choices").getJsonObject(0);
                text.append(choice.getJsonObject("delta").getString("content", ""));
                if (!choice.isNull("finish_reason")) {
                    finish = choice.getString("finish_reason");
                }
            }
            assertThat(text.toString(), is("Paris."));
            assertThat(finish, is("stop"));
            JsonObject usage = JsonText.parse(data.get(data.size() - 2));
            assertThat(usage.getJsonArray("choices").size(), is(0));
            assertThat(usage.getJsonObject("usage").getInt("completion_tokens") > 0, is(true));

            HttpResponse<String> local = chat(app, """
                    {"model":"claude-sonnet-4-5","stream":true,
                     "messages":[{"role":"user","content":"What is the capital of France?"}]}""");
            assertThat(route(local), is("local"));
            assertThat(local.body(), containsString("\"content\":\"Paris.\""));
            assertThat(local.body().strip(), org.hamcrest.Matchers.endsWith("data: [DONE]"));
        }
    }

    @Test
    void aToolLoopRoundTrips() {
        try (RunningApp app = start(Map.of())) {
            TEACHER.callToolNext("Checking.", "toolu_7", "weather", Json.createObjectBuilder().add("city", "Paris")
                    .build());
            String tools = """
                    "tools":[{"type":"function","function":{"name":"weather","parameters":{"type":"object",
                      "properties":{"city":{"type":"string"}}}}}]""";
            HttpResponse<String> call = chat(app, "{\"model\":\"claude-sonnet-4-5\"," + tools + ","
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]}");
            assertThat(call.body(), call.statusCode(), is(200));
            JsonObject choice = JsonText.parse(call.body()).getJsonArray("choices").getJsonObject(0);
            assertThat(choice.getString("finish_reason"), is("tool_calls"));
            JsonObject toolCall = choice.getJsonObject("message").getJsonArray("tool_calls").getJsonObject(0);
            assertThat(toolCall.getString("id"), is("toolu_7"));
            assertThat(toolCall.getJsonObject("function").getString("arguments"), is("{\"city\":\"Paris\"}"));

            HttpResponse<String> answer = chat(app, "{\"model\":\"claude-sonnet-4-5\"," + tools + ","
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"},"
                    + "{\"role\":\"assistant\",\"content\":\"Checking.\",\"tool_calls\":[" + toolCall + "]},"
                    + "{\"role\":\"tool\",\"tool_call_id\":\"toolu_7\",\"content\":\"Sunny\"}]}");
            assertThat("the fake checks Claude's rules for tool results: " + answer.body(), answer.statusCode(),
                    is(200));
            JsonObject sent = TEACHER.last().body();
            assertThat(sent.getJsonArray("messages").getJsonObject(2).getJsonArray("content").getJsonObject(0)
                    .getString("type"), is("tool_result"));
        }
    }

    @Test
    void errorsInOpenAisShapeAndNothingStored() {
        try (RunningApp app = start(Map.of("server.max-body-bytes", "65536"))) {
            HttpResponse<String> bad = chat(app, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}]}");
            assertOpenAiError(bad, 400, "invalid_request_error", "messages[0].content");
            assertOpenAiError(chat(app, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"},"
                    + "{\"role\":\"tool\",\"tool_call_id\":\"nope\",\"content\":\"1\"}]}"), 400,
                    "invalid_request_error", "messages[1].tool_call_id");
            assertOpenAiError(chat(app, "not json"), 400, "invalid_request_error", null);
            // Over the limit by half: the server reads it away before answering (OversizedBodyTest says why).
            String big = "data:image/png;base64," + "A".repeat(100 * 1024);
            assertOpenAiError(chat(app, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":"
                    + "\"image_url\",\"image_url\":{\"url\":\"" + big + "\"}}]}]}"), 413, "invalid_request_error", null);
            HttpResponse<String> noKey = app.send(HttpRequest.newBuilder(app.uri("/v1/chat/completions"))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(question("hi"))).build());
            assertOpenAiError(noKey, 401, "authentication_error", null);

            for (int i = 0; i < 3; i++) {
                // retried twice (upstream.max-retries), then passed on
                TEACHER.failNext(529, "overloaded_error", "Overloaded", Map.of());
            }
            HttpResponse<String> overloaded = chat(app, question("Will this work?"));
            assertOpenAiError(overloaded, 503, "server_error", null);
            assertThat(JsonText.parse(overloaded.body()).getJsonObject("error").getString("code"), is("overloaded"));
            assertThat("nothing was learned from the failures", app.app().learning().memory().size(),
                    is(0));
        }
    }

    @Test
    void modelsInOpenAisShapeForAnOpenAiClient() {
        try (RunningApp app = start(Map.of())) {
            HttpResponse<String> openAi = app.send(HttpRequest.newBuilder(app.uri("/v1/models"))
                    .header("authorization", "Bearer " + KEY).build());
            JsonObject list = JsonText.parse(openAi.body());
            assertThat(list.getString("object"), is("list"));
            assertThat(list.getJsonArray("data").getJsonObject(0).getString("object"), is("model"));
            assertThat(list.getJsonArray("data").getJsonObject(0).getString("owned_by"), is("anthropic"));
            String id = list.getJsonArray("data").getJsonObject(0).getString("id");
            JsonObject one = JsonText.parse(app.send(HttpRequest.newBuilder(app.uri("/v1/models/" + id))
                    .header("authorization", "Bearer " + KEY).build()).body());
            assertThat(one.getString("object"), is("model"));
            assertThat(one.getString("id"), is(id));
            assertThat("a date, in seconds", one.getJsonNumber("created").longValue() > 0, is(true));
            HttpResponse<String> anthropic = app.send(HttpRequest.newBuilder(app.uri("/v1/models"))
                    .header("authorization", "Bearer " + KEY).header("anthropic-version", "2023-06-01").build());
            assertThat(JsonText.parse(anthropic.body()).containsKey("has_more"), is(true));
        }
    }

    private static void assertOpenAiError(HttpResponse<String> res, int status, String type, String param) {
        assertThat(res.body(), res.statusCode(), is(status));
        JsonObject body = JsonText.parse(res.body());
        assertThat(res.body(), body.containsKey("type"), is(false));
        JsonObject error = body.getJsonObject("error");
        assertThat(res.body(), error.getString("type"), is(type));
        if (param == null) {
            assertThat(error.containsKey("param"), is(true));
        } else {
            assertThat(res.body(), error.getString("param"), is(param));
        }
        assertThat(error.containsKey("code"), is(true));
    }
}
