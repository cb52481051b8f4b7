package dev.shammah.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import dev.shammah.App;
import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.JsonText;
import dev.shammah.testsupport.TestConfigs;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/** POST /v1/messages against a real in-process server forwarding to the fake upstream. */
@ServerTest
class MessagesForwardingTest {
    static final FakeAnthropic UPSTREAM = FakeAnthropic.start();
    static App app;

    private final Http1Client client;

    MessagesForwardingTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws IOException {
        Path data = Files.createTempDirectory("shammah-fwd");
        app = App.create(TestConfigs.forUpstream(UPSTREAM.baseUrl(), data, Map.of()), Clock.systemUTC());
        app.configureServer(server);
    }

    @AfterAll
    static void stop() {
        app.close();
        UPSTREAM.close();
    }

    @BeforeEach
    void reset() {
        UPSTREAM.reset();
    }

    private Http1ClientResponse post(String body) {
        return client.post("/v1/messages")
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .submit(body);
    }

    @Test
    void forwardsEveryFieldAndHeaderAndReturnsTheUpstreamAnswer() {
        JsonObject request = Json.createObjectBuilder()
                .add("model", "claude-sonnet-4-5")
                .add("max_tokens", 321)
                .add("system", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("type", "text").add("text", "Be brief.")
                        .add("cache_control", Json.createObjectBuilder().add("type", "ephemeral"))))
                .add("messages", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("role", "user").add("content", "What is 2+2?")))
                .add("temperature", 0.25)
                .add("top_k", 5)
                .add("stop_sequences", Json.createArrayBuilder().add("\n\nHuman:"))
                .add("metadata", Json.createObjectBuilder().add("user_id", "u-42"))
                .add("tools", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("name", "calc").add("description", "adds")
                        .add("input_schema", Json.createObjectBuilder().add("type", "object"))))
                .add("a_future_field", Json.createObjectBuilder().add("nested", true))
                .build();
        try (Http1ClientResponse res = client.post("/v1/messages")
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .header(HeaderNames.create("anthropic-version"), "2023-06-01")
                .header(HeaderNames.create("anthropic-beta"), "prompt-caching-2024-07-31,tools-2024-04-04")
                .submit(request.toString())) {
            assertThat(res.status().code(), is(200));
            JsonObject body = JsonText.parse(res.as(String.class));
            assertThat(body.getString("type"), is("message"));
            assertThat(body.getJsonArray("content").getJsonObject(0).getString("text"), is("echo: What is 2+2?"));
            assertThat(body.getString("session_id"), startsWith("sess_"));
            assertThat(res.headers().first(HeaderNames.create("upstream-request-id")).orElse(""),
                    startsWith("req_fake_"));
            assertThat(res.headers().first(HeaderNames.create("request-id")).orElse(""),
                    matchesPattern("req_[0-9A-Za-z]{24}"));
        }
        FakeAnthropic.Received got = UPSTREAM.last();
        // Everything the client sent arrives unchanged (no session_id was sent, so nothing is removed).
        assertThat(got.body(), is(request));
        assertThat(got.header("x-api-key"), is(FakeAnthropic.API_KEY));
        assertThat(got.header("anthropic-version"), is("2023-06-01"));
        assertThat(got.header("anthropic-beta"), is("prompt-caching-2024-07-31,tools-2024-04-04"));
    }

    @Test
    void aSystemMessageInsideMessagesIsForwardedAsClaudeCodeSendsIt() {
        // Shape seen from Claude Code 2.1: a mid-conversation system message carrying output_config.
        String body = """
                {"model":"claude-test","max_tokens":128000,"messages":[
                  {"role":"user","content":[{"type":"text","text":"Say hello"}]},
                  {"role":"system","content":[{"type":"text","text":"# Environment"}],"output_config":{"effort":"medium"}}],
                 "thinking":{"type":"adaptive","display":"omitted"},
                 "context_management":{"edits":[{"type":"clear_thinking_20251015","keep":"all"}]},
                 "output_config":{"effort":"medium"}}""";
        try (Http1ClientResponse res = post(body)) {
            assertThat(res.status().code(), is(200));
        }
        assertThat(UPSTREAM.last().body(), is(JsonText.parse(body)));
    }

    @Test
    void sendsTheConfiguredAnthropicVersionWhenTheClientSendsNone() {
        try (Http1ClientResponse res = post(simple("hello", null))) {
            assertThat(res.status().code(), is(200));
        }
        assertThat(UPSTREAM.last().header("anthropic-version"), is("2023-06-01"));
        assertThat(UPSTREAM.last().header("anthropic-beta"), is((String) null));
    }

    @Test
    void keepsTheConversationOverThreeTurns() {
        String sessionId;
        try (Http1ClientResponse res = post(simple("My name is Ada.", null))) {
            sessionId = JsonText.parse(res.as(String.class)).getString("session_id");
        }
        try (Http1ClientResponse res = post(simple("What is my name?", sessionId))) {
            assertThat(JsonText.parse(res.as(String.class)).getString("session_id"), is(sessionId));
        }
        try (Http1ClientResponse res = post(simple("And again?", sessionId))) {
            assertThat(res.status().code(), is(200));
        }
        List<JsonObject> bodies = UPSTREAM.bodies();
        assertThat(bodies, hasSize(3));
        JsonArray third = bodies.get(2).getJsonArray("messages");
        // History is prepended: user, assistant, user, assistant, user.
        assertThat(third, hasSize(5));
        assertThat(third.getJsonObject(0).getString("content"), is("My name is Ada."));
        assertThat(third.getJsonObject(1).getString("role"), is("assistant"));
        assertThat(third.getJsonObject(1).getJsonArray("content").getJsonObject(0).getString("text"),
                is("echo: My name is Ada."));
        assertThat(third.getJsonObject(2).getString("content"), is("What is my name?"));
        assertThat(third.getJsonObject(4).getString("content"), is("And again?"));
        // The extension field never reaches the upstream (Anthropic rejects unknown top-level fields).
        assertThat(bodies.get(2).containsKey("session_id"), is(false));

        try (Http1ClientResponse res = client.get("/v1/session/" + sessionId).request()) {
            JsonObject meta = JsonText.parse(res.as(String.class));
            assertThat(meta.getInt("message_count"), is(6));
            assertThat(meta.getInt("turns"), is(3));
        }
    }

    @Test
    void aClientResendingTheWholeConversationIsNotDuplicated() {
        String sessionId;
        String firstAnswer;
        try (Http1ClientResponse res = post(simple("one", null))) {
            JsonObject body = JsonText.parse(res.as(String.class));
            sessionId = body.getString("session_id");
            firstAnswer = body.getJsonArray("content").toString();
        }
        String full = """
                {"model":"m","max_tokens":10,"session_id":"%s","messages":[
                  {"role":"user","content":"one"},
                  {"role":"assistant","content":%s},
                  {"role":"user","content":"two"}]}""".formatted(sessionId, firstAnswer);
        try (Http1ClientResponse res = post(full)) {
            assertThat(res.status().code(), is(200));
        }
        assertThat(UPSTREAM.last().body().getJsonArray("messages"), hasSize(3));
    }

    @Test
    void upstreamErrorsPassThroughWithStatusBodyAndRetryAfter() {
        UPSTREAM.failNext(429, "rate_limit_error", "slow down", Map.of("retry-after", "7"));
        try (Http1ClientResponse res = post(simple("hi", null))) {
            assertThat(res.status().code(), is(429));
            assertThat(res.headers().first(HeaderNames.create("retry-after")).orElse(""), is("7"));
            JsonObject error = JsonText.parse(res.as(String.class));
            assertThat(error.getString("type"), is("error"));
            assertThat(error.getJsonObject("error").getString("type"), is("rate_limit_error"));
            assertThat(error.getJsonObject("error").getString("message"), is("slow down"));
        }
        assertThat("429 is not retried: the client's SDK honours retry-after itself",
                UPSTREAM.received("/v1/messages").size(), is(1));
        // 529 is retried (max-retries 2); when every try fails the last answer passes through.
        for (int i = 0; i < 3; i++) {
            UPSTREAM.failNext(529, "overloaded_error", "Overloaded", Map.of());
        }
        try (Http1ClientResponse res = post(simple("hi", null))) {
            assertThat(res.status().code(), is(529));
            assertThat(JsonText.parse(res.as(String.class)).getJsonObject("error").getString("type"),
                    is("overloaded_error"));
        }
    }

    @Test
    void aTransientUpstreamFailureIsRetriedAndTheClientNeverSeesIt() {
        UPSTREAM.failNext(503, "api_error", "upstream connect error", Map.of());
        UPSTREAM.failNext(529, "overloaded_error", "Overloaded", Map.of());
        try (Http1ClientResponse res = post(simple("persist", null))) {
            assertThat(res.status().code(), is(200));
            assertThat(JsonText.parse(res.as(String.class)).getJsonArray("content").getJsonObject(0).getString("text"),
                    is("echo: persist"));
        }
        assertThat(UPSTREAM.received("/v1/messages"), hasSize(3));
    }

    @Test
    void aNonJsonUpstreamErrorBecomesAnAnthropicError() {
        for (int i = 0; i < 3; i++) {
            UPSTREAM.respondNextRaw(502, "text/html", "<html><body>Bad Gateway</body></html>");
        }
        try (Http1ClientResponse res = post(simple("hi", null))) {
            assertThat(res.status().code(), is(502));
            JsonObject error = JsonText.parse(res.as(String.class));
            assertThat(error.getJsonObject("error").getString("type"), is("api_error"));
            assertThat(error.getJsonObject("error").getString("message"), startsWith("Upstream returned HTTP 502"));
        }
    }

    @Test
    void aFailedTurnLeavesTheSessionAsItWas() {
        String sessionId;
        try (Http1ClientResponse res = post(simple("keep me", null))) {
            sessionId = JsonText.parse(res.as(String.class)).getString("session_id");
        }
        UPSTREAM.failNext(500, "api_error", "boom", Map.of());
        try (Http1ClientResponse res = post(simple("this fails", sessionId))) {
            assertThat(res.status().code(), is(500));
        }
        try (Http1ClientResponse res = client.get("/v1/session/" + sessionId).request()) {
            assertThat(JsonText.parse(res.as(String.class)).getInt("message_count"), is(2));
        }
        try (Http1ClientResponse res = post(simple("next", sessionId))) {
            assertThat(res.status().code(), is(200));
        }
        JsonArray sent = UPSTREAM.last().body().getJsonArray("messages");
        assertThat(sent, hasSize(3));
        assertThat(sent.getJsonObject(0).getString("content"), is("keep me"));
        assertThat(sent.toString(), not(org.hamcrest.Matchers.containsString("this fails")));
    }

    @Test
    void theResponseNamesItsSessionInAHeaderToo() {
        try (Http1ClientResponse res = post(simple("hi", null))) {
            String header = res.headers().first(HeaderNames.create("x-shammah-session-id")).orElse(null);
            assertThat(header, notNullValue());
            assertThat(JsonText.parse(res.as(String.class)).getString("session_id"), is(header));
        }
    }

    static String simple(String text, String sessionId) {
        return dev.shammah.testsupport.Requests.simple(text, sessionId);
    }
}
