package dev.shammah.api;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.JsonText;
import dev.shammah.testsupport.RunningApp;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/** count_tokens (forwarded or estimated), models (listed with pagination), and client keys forwarded. */
class CountTokensAndModelsTest {
    static final FakeAnthropic UPSTREAM = FakeAnthropic.start();
    static final String COUNT_BODY = """
            {"model":"claude-test","system":"Be brief.","messages":[{"role":"user","content":"How many tokens is this sentence?"}]}""";

    @AfterAll
    static void stop() {
        UPSTREAM.close();
    }

    @BeforeEach
    void reset() {
        UPSTREAM.reset();
    }

    @Test
    void countTokensIsForwardedWhenAnUpstreamIsConfigured() {
        try (RunningApp shammah = RunningApp.start(UPSTREAM.baseUrl(), Map.of(), Clock.systemUTC())) {
            HttpResponse<String> res = shammah.post("/v1/messages/count_tokens", COUNT_BODY);
            assertThat(res.statusCode(), is(200));
            assertThat(res.headers().firstValue("x-shammah-token-count").orElse(""), is("upstream"));
            assertThat(JsonText.parse(res.body()).getInt("input_tokens"), greaterThan(1000));
            assertThat(UPSTREAM.last().path(), is("/v1/messages/count_tokens"));
            assertThat(UPSTREAM.last().body(), is(JsonText.parse(COUNT_BODY)));
        }
    }

    @Test
    void countTokensIsEstimatedWithoutAKeyOrWhenTheUpstreamIsDown() throws Exception {
        try (RunningApp noKey = RunningApp.start(UPSTREAM.baseUrl(), Map.of("upstream.api-key", ""), Clock.systemUTC())) {
            HttpResponse<String> res = noKey.post("/v1/messages/count_tokens", COUNT_BODY);
            assertThat(res.statusCode(), is(200));
            assertThat(res.headers().firstValue("x-shammah-token-count").orElse(""), is("estimate"));
            // 9 + 34 characters / 4 → 11, plus 3 framing and 4 for the message.
            assertThat(JsonText.parse(res.body()).getInt("input_tokens"), is(18));
        }
        assertThat(UPSTREAM.received(), hasSize(0));
        URI dead;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            dead = URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
        try (RunningApp down = RunningApp.start(dead, Map.of(), Clock.systemUTC())) {
            HttpResponse<String> res = down.post("/v1/messages/count_tokens", COUNT_BODY);
            assertThat(res.statusCode(), is(200));
            assertThat(res.headers().firstValue("x-shammah-token-count").orElse(""), is("estimate"));
        }
    }

    @Test
    void countTokensChecksItsInputAndPassesUpstreamRefusals() {
        try (RunningApp shammah = RunningApp.start(UPSTREAM.baseUrl(), Map.of(), Clock.systemUTC())) {
            HttpResponse<String> bad = shammah.post("/v1/messages/count_tokens", "{\"model\":\"m\"}");
            assertThat(bad.statusCode(), is(400));
            assertThat(JsonText.parse(bad.body()).getJsonObject("error").getString("message"),
                    is("messages: Field required"));
            UPSTREAM.failNext(400, "invalid_request_error", "model: not found", Map.of());
            HttpResponse<String> refused = shammah.post("/v1/messages/count_tokens", COUNT_BODY);
            assertThat(refused.statusCode(), is(400));
            assertThat(JsonText.parse(refused.body()).getJsonObject("error").getString("message"),
                    is("model: not found"));
        }
    }

    @Test
    void modelsAreListedWithAnthropicsPagination() {
        try (RunningApp shammah = RunningApp.start(UPSTREAM.baseUrl(), Map.of(), Clock.systemUTC())) {
            JsonObject all = JsonText.parse(shammah.get("/v1/models").body());
            assertThat(ids(all), is(FakeAnthropic.MODELS));
            assertThat(all.getBoolean("has_more"), is(false));

            JsonObject first = JsonText.parse(shammah.get("/v1/models?limit=2").body());
            assertThat(ids(first), is(FakeAnthropic.MODELS.subList(0, 2)));
            assertThat(first.getBoolean("has_more"), is(true));
            assertThat(first.getString("first_id"), is(FakeAnthropic.MODELS.get(0)));
            assertThat(first.getString("last_id"), is(FakeAnthropic.MODELS.get(1)));

            JsonObject second = JsonText.parse(shammah.get("/v1/models?limit=2&after_id="
                    + first.getString("last_id")).body());
            assertThat(ids(second), is(FakeAnthropic.MODELS.subList(2, 4)));
            assertThat(second.getBoolean("has_more"), is(false));

            JsonObject back = JsonText.parse(shammah.get("/v1/models?limit=1&before_id="
                    + FakeAnthropic.MODELS.get(2)).body());
            assertThat(ids(back), contains(FakeAnthropic.MODELS.get(1)));
            assertThat(back.getBoolean("has_more"), is(true));

            JsonObject one = JsonText.parse(shammah.get("/v1/models/" + FakeAnthropic.MODELS.get(1)).body());
            assertThat(one.getString("type"), is("model"));
            assertThat(one.getString("id"), is(FakeAnthropic.MODELS.get(1)));
            assertThat(shammah.get("/v1/models/no-such-model").statusCode(), is(404));
            assertThat(shammah.get("/v1/models?limit=0").statusCode(), is(400));

            // Cached: the upstream was asked once for all of the above.
            assertThat(UPSTREAM.received("/v1/models"), hasSize(1));
        }
    }

    @Test
    void withoutAnUpstreamTheModelListIsEmptyNotAnError() {
        try (RunningApp shammah = RunningApp.start(UPSTREAM.baseUrl(), Map.of("upstream.api-key", ""),
                Clock.systemUTC())) {
            HttpResponse<String> res = shammah.get("/v1/models");
            assertThat(res.statusCode(), is(200));
            JsonObject body = JsonText.parse(res.body());
            assertThat(body.getJsonArray("data"), hasSize(0));
            assertThat(body.get("first_id"), is(JsonValue.NULL));
        }
    }

    @Test
    void theClientsOwnKeyIsForwardedInTheFormItCameInWhenConfigured() {
        try (RunningApp shammah = RunningApp.start(UPSTREAM.baseUrl(),
                Map.of("upstream.api-key", "", "upstream.forward-client-key", "true"), Clock.systemUTC())) {
            String body = MessagesForwardingTest.simple("hi", null);
            HttpResponse<String> bearer = shammah.send(HttpRequest.newBuilder(shammah.uri("/v1/messages"))
                    .header("content-type", "application/json")
                    .header("authorization", "Bearer " + FakeAnthropic.API_KEY)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build());
            assertThat(bearer.statusCode(), is(200));
            assertThat(UPSTREAM.last().header("authorization"), is("Bearer " + FakeAnthropic.API_KEY));
            assertThat(UPSTREAM.last().header("x-api-key"), is((String) null));

            HttpResponse<String> apiKey = shammah.send(HttpRequest.newBuilder(shammah.uri("/v1/messages"))
                    .header("content-type", "application/json")
                    .header("x-api-key", FakeAnthropic.API_KEY)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build());
            assertThat(apiKey.statusCode(), is(200));
            assertThat(UPSTREAM.last().header("x-api-key"), is(FakeAnthropic.API_KEY));

            HttpResponse<String> wrong = shammah.send(HttpRequest.newBuilder(shammah.uri("/v1/messages"))
                    .header("content-type", "application/json")
                    .header("x-api-key", "sk-ant-wrong")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build());
            assertThat("the upstream's own 401 comes back", wrong.statusCode(), is(401));

            assertThat("no key at all: nothing to forward with", shammah.post("/v1/messages", body).statusCode(),
                    is(503));
        }
    }

    private static List<String> ids(JsonObject page) {
        return page.getJsonArray("data").stream().map(v -> v.asJsonObject().getString("id")).toList();
    }
}
