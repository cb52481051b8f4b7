package dev.shammah.api;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.JsonText;
import dev.shammah.testsupport.Requests;
import dev.shammah.testsupport.RunningApp;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** Auth with hashed keys, admin paths, per-client sessions, rate limits, input limits and the audit log. */
class SecurityTest {
    static final FakeAnthropic UPSTREAM = FakeAnthropic.start();
    static final String ALICE = "alice-secret-key";
    static final String BOB = "bob-secret-key";
    static final String ADMIN = "admin-secret-key";

    @TempDir
    Path dir;

    @AfterAll
    static void stop() {
        UPSTREAM.close();
    }

    private RunningApp secured(Map<String, String> extra) throws Exception {
        Path keyFile = Files.writeString(dir.resolve("keys.txt"), "# clients\n" + ApiKeys.hashed(BOB) + "\n");
        Map<String, String> config = new HashMap<>();
        config.put("server.auth-enabled", "true");
        config.put("server.api-keys", ApiKeys.hashed(ALICE));
        config.put("server.api-keys-file", keyFile.toString());
        config.put("server.admin-keys", ApiKeys.hashed(ADMIN));
        config.putAll(extra);
        return RunningApp.startIn(UPSTREAM.baseUrl(), dir.resolve("data"), config, Clock.systemUTC());
    }

    private static HttpResponse<String> call(RunningApp app, String method, String path, String key, String body,
                                             boolean bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(app.uri(path)).header("content-type", "application/json");
        if (key != null) {
            b.header(bearer ? "authorization" : "x-api-key", bearer ? "Bearer " + key : key);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return app.send(b.build());
    }

    @Test
    void hashedKeysFromConfigAndFileBothHeaderFormsAndAdminOnlyPaths() throws Exception {
        try (RunningApp app = secured(Map.of())) {
            assertThat(call(app, "POST", "/v1/messages", null, Requests.simple("hi", null), false).statusCode(), is(401));
            assertThat(call(app, "POST", "/v1/messages", "wrong", Requests.simple("hi", null), false).statusCode(), is(401));
            assertThat(call(app, "POST", "/v1/messages", ALICE, Requests.simple("hi", null), false).statusCode(), is(200));
            assertThat(call(app, "POST", "/v1/messages", BOB, Requests.simple("hi", null), true).statusCode(), is(200));
            assertThat("health stays open", call(app, "GET", "/health", null, null, false).statusCode(), is(200));
            HttpResponse<String> metrics = call(app, "GET", "/metrics", ALICE, null, false);
            assertThat(metrics.statusCode(), is(403));
            assertThat(JsonText.parse(metrics.body()).getJsonObject("error").getString("type"), is("permission_error"));
            assertThat(call(app, "GET", "/metrics", null, null, false).statusCode(), is(401));
            assertThat(call(app, "GET", "/metrics", ADMIN, null, false).statusCode(), is(200));
            assertThat(call(app, "POST", "/admin/reload_models", BOB, null, false).statusCode(), is(403));
        }
    }

    @Test
    void oneClientCannotReadOrUseAnothersSession() throws Exception {
        try (RunningApp app = secured(Map.of())) {
            String session = JsonText.parse(call(app, "POST", "/v1/messages", ALICE, Requests.simple("mine", null),
                    false).body()).getString("session_id");
            assertThat(call(app, "GET", "/v1/session/" + session, ALICE, null, false).statusCode(), is(200));
            assertThat("looks like no session", call(app, "GET", "/v1/session/" + session, BOB, null, false)
                    .statusCode(), is(404));
            assertThat(call(app, "DELETE", "/v1/session/" + session, BOB, null, false).statusCode(), is(404));
            // A server-made id Bob does not hold is 404 for him, as an expired one would be; Alice's is untouched.
            int sent = UPSTREAM.received().size();
            HttpResponse<String> other = call(app, "POST", "/v1/messages", BOB, Requests.simple("yours?", session),
                    false);
            assertThat(other.statusCode(), is(404));
            assertThat("nothing went upstream", UPSTREAM.received().size(), is(sent));
            assertThat(JsonText.parse(call(app, "GET", "/v1/session/" + session, ALICE, null, false).body())
                    .getInt("message_count"), is(2));
            // Ids are per client: a name both use names each one's own conversation.
            assertThat(call(app, "POST", "/v1/messages", ALICE, Requests.simple("a", "shared-name"), false)
                    .statusCode(), is(200));
            assertThat(call(app, "POST", "/v1/messages", BOB, Requests.simple("b", "shared-name"), false)
                    .statusCode(), is(200));
            assertThat("Bob's request carried none of Alice's history", UPSTREAM.last().body()
                    .getJsonArray("messages").size(), is(1));
            assertThat(JsonText.parse(call(app, "GET", "/v1/session/shared-name", ALICE, null, false).body())
                    .getInt("message_count"), is(2));
        }
    }

    @Test
    void rateLimitsAre429WithRetryAfterAndRateLimitHeaders() throws Exception {
        try (RunningApp app = secured(Map.of("server.rate-limit.requests-per-minute", "2"))) {
            HttpResponse<String> first = call(app, "POST", "/v1/messages", ALICE, Requests.simple("1", null), false);
            assertThat(first.headers().firstValue("anthropic-ratelimit-requests-limit").orElse(""), is("2"));
            assertThat(first.headers().firstValue("anthropic-ratelimit-requests-remaining").orElse(""), is("1"));
            call(app, "POST", "/v1/messages", ALICE, Requests.simple("2", null), false);
            HttpResponse<String> third = call(app, "POST", "/v1/messages", ALICE, Requests.simple("3", null), false);
            assertThat(third.statusCode(), is(429));
            assertThat(JsonText.parse(third.body()).getJsonObject("error").getString("type"), is("rate_limit_error"));
            assertThat(Integer.parseInt(third.headers().firstValue("retry-after").orElse("0")) >= 1, is(true));
            assertThat(third.headers().firstValue("anthropic-ratelimit-requests-remaining").orElse(""), is("0"));
            assertThat("another client has its own bucket",
                    call(app, "POST", "/v1/messages", BOB, Requests.simple("b", null), false).statusCode(), is(200));
        }
    }

    @Test
    void theTokenBucketChargesInputUpFrontAndOutputAfterwards() throws Exception {
        try (RunningApp app = secured(Map.of("server.rate-limit.tokens-per-minute", "40"))) {
            HttpResponse<String> first = call(app, "POST", "/v1/messages", ALICE,
                    Requests.simple("a question of a few words", null), false);
            assertThat(first.statusCode(), is(200));
            assertThat(first.headers().firstValue("anthropic-ratelimit-tokens-limit").orElse(""), is("40"));
            int remaining = Integer.parseInt(first.headers().firstValue("anthropic-ratelimit-tokens-remaining")
                    .orElseThrow());
            assertThat("the input estimate was taken", remaining < 40, is(true));
            // A long prompt costs more than what is left after the first answer's output was charged.
            HttpResponse<String> second = call(app, "POST", "/v1/messages", ALICE,
                    Requests.simple("word ".repeat(120), null), false);
            assertThat(second.statusCode(), is(429));
            assertThat(message429(second), containsString("tokens per minute (40)"));
            assertThat(second.headers().firstValue("anthropic-ratelimit-tokens-remaining").isPresent(), is(true));
        }
    }

    private static String message429(HttpResponse<String> res) {
        assertThat(res.statusCode(), is(429));
        assertThat(res.headers().firstValue("retry-after").isPresent(), is(true));
        return JsonText.parse(res.body()).getJsonObject("error").getString("message");
    }

    @Test
    void inputLimitsAreClear400s() throws Exception {
        try (RunningApp app = secured(Map.of("server.max-messages", "3", "server.max-tokens-requested", "100",
                "server.max-json-depth", "8", "server.max-content-blocks", "2"))) {
            String blocks = "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":["
                    + "{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"},"
                    + "{\"type\":\"text\",\"text\":\"c\"}]}]}";
            assertThat(message(call(app, "POST", "/v1/messages", ALICE, blocks, false)),
                    containsString("server.max-content-blocks"));
            String many = "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[" + String.join(",",
                    List.of("{\"role\":\"user\",\"content\":\"a\"}", "{\"role\":\"assistant\",\"content\":\"b\"}",
                            "{\"role\":\"user\",\"content\":\"c\"}", "{\"role\":\"assistant\",\"content\":\"d\"}")) + "]}";
            assertThat(message(call(app, "POST", "/v1/messages", ALICE, many, false)), containsString("server.max-messages"));
            String big = "{\"model\":\"m\",\"max_tokens\":101,\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]}";
            assertThat(message(call(app, "POST", "/v1/messages", ALICE, big, false)),
                    containsString("server.max-tokens-requested"));
            String deep = "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"a\"}],"
                    + "\"metadata\":" + "{\"a\":".repeat(10) + "1" + "}".repeat(10) + "}";
            assertThat(message(call(app, "POST", "/v1/messages", ALICE, deep, false)),
                    containsString("server.max-json-depth"));
        }
    }

    private static String message(HttpResponse<String> res) {
        assertThat(res.statusCode(), is(400));
        return JsonText.parse(res.body()).getJsonObject("error").getString("message");
    }

    @Test
    void theAuditLogSaysWhoDidWhatWithoutKeysOrPromptText() throws Exception {
        try (RunningApp app = secured(Map.of())) {
            call(app, "POST", "/v1/messages", ALICE, Requests.simple("my private question", null), false);
            call(app, "POST", "/v1/messages", "wrong-key", Requests.simple("x", null), false);
        }
        String audit;
        try (var files = Files.list(dir.resolve("data/audit"))) {
            audit = Files.readString(files.findFirst().orElseThrow());
        }
        List<String> lines = audit.lines().toList();
        assertThat(lines.size(), is(2));
        JsonObject ok = JsonText.parse(lines.get(0));
        assertThat(ok.getString("caller"), is(ApiKeys.keyId(ALICE)));
        assertThat(ok.getString("route"), is("/v1/messages"));
        assertThat(ok.getString("decision"), is("forward"));
        assertThat(ok.getInt("status"), is(200));
        assertThat(ok.getString("session_id").startsWith("sess_"), is(true));
        assertThat(ok.getInt("bytes_in") > 0, is(true));
        assertThat(JsonText.parse(lines.get(1)).getInt("status"), is(401));
        assertThat(audit, not(containsString("private question")));
        assertThat(audit, not(containsString(ALICE)));
        assertThat(audit, not(containsString("wrong-key")));
    }
}
