package dev.shammah.engine;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import dev.shammah.api.ApiKeys;
import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.JsonText;
import dev.shammah.testsupport.Requests;
import dev.shammah.testsupport.RunningApp;
import dev.shammah.testsupport.SseClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** Learned memory and evidence belong to a tenant: no key ever receives another tenant's answer. */
class TenantLearningTest {
    static final FakeAnthropic TEACHER = FakeAnthropic.start();
    static final String ALICE = "alice-key";
    static final String BOB = "bob-key";
    static final String CAROL = "carol-key";
    static final String ADMIN = "admin-key";
    static final String QUESTION = "What is our team's wifi password?";

    @TempDir
    Path dir;

    @AfterAll
    static void stop() {
        TEACHER.close();
    }

    @BeforeEach
    void reset() {
        TEACHER.reset();
    }

    private RunningApp secured() {
        Map<String, String> config = new HashMap<>();
        config.put("learning.enabled", "true");
        config.put("learning.verify-rate", "0");
        config.put("server.auth-enabled", "true");
        config.put("server.api-keys", ApiKeys.hashed(ALICE) + "," + ApiKeys.hashed(BOB) + "," + ApiKeys.hashed(CAROL));
        config.put("server.admin-keys", ApiKeys.hashed(ADMIN));
        config.put("log.store-text", "true");
        return RunningApp.startIn(TEACHER.baseUrl(), dir, config, Clock.systemUTC());
    }

    static HttpResponse<String> ask(RunningApp app, String key, String text, String route) {
        HttpRequest.Builder b = HttpRequest.newBuilder(app.uri("/v1/messages"))
                .header("content-type", "application/json").header("x-api-key", key)
                .POST(HttpRequest.BodyPublishers.ofString(Requests.simple(text, null)));
        if (route != null) {
            b.header("x-shammah-route", route);
        }
        HttpResponse<String> res = app.send(b.build());
        app.app().learning().drain();
        return res;
    }

    static String text(HttpResponse<String> res) {
        return JsonText.parse(res.body()).getJsonArray("content").getJsonObject(0).getString("text");
    }

    static String route(HttpResponse<String> res) {
        return res.headers().firstValue("x-shammah-route").orElse("");
    }

    static HttpResponse<String> admin(RunningApp app, String method, String path) {
        return app.send(HttpRequest.newBuilder(app.uri(path)).header("x-api-key", ADMIN)
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    @Test
    void oneTenantsAnswerNeverReachesAnotherJsonOrStreamed() {
        try (RunningApp app = secured()) {
            TEACHER.answerWith(r -> "Alice's secret: hunter2");
            ask(app, ALICE, QUESTION, null);
            assertThat(route(ask(app, ALICE, QUESTION, null)), is("local"));

            TEACHER.answerWith(r -> "Bob's own answer");
            HttpResponse<String> bob = ask(app, BOB, QUESTION, null);
            assertThat(route(bob), is("forward"));
            assertThat(text(bob), is("Bob's own answer"));

            String streamed = Json.createObjectBuilder().add("model", "claude-test").add("max_tokens", 50)
                    .add("stream", true).add("messages", Json.createArrayBuilder().add(Json.createObjectBuilder()
                            .add("role", "user").add("content", QUESTION))).build().toString();
            TEACHER.answerWith(r -> "Carol's own answer");
            SseClient.Result carol = SseClient.post(app.uri("/v1/messages"), streamed, Map.of("x-api-key", CAROL),
                    e -> { });
            String all = String.join("\n", carol.events().stream().map(e -> e.data()).toList());
            assertThat(all.contains("hunter2"), is(false));
            assertThat(all, containsString("Carol"));

            // Even an admin forcing a local answer gets only its own tenant's exchanges.
            HttpResponse<String> forced = ask(app, ADMIN, QUESTION, "local");
            assertThat(forced.statusCode(), is(503));
            assertThat(forced.body().contains("hunter2"), is(false));
        }
    }

    @Test
    void onlyAdminKeysMayForceALocalAnswer() {
        try (RunningApp app = secured()) {
            TEACHER.answerWith(r -> "Paris.");
            ask(app, ALICE, "Capital of France?", null);
            HttpResponse<String> refused = ask(app, ALICE, "Capital of France?", "local");
            assertThat(refused.statusCode(), is(403));
            JsonObject error = JsonText.parse(refused.body()).getJsonObject("error");
            assertThat(error.getString("type"), is("permission_error"));
            assertThat(error.getString("message"), containsString("admin"));
            assertThat("forcing forward stays open", route(ask(app, ALICE, "Capital of France?", "forward")),
                    is("forward"));
            ask(app, ADMIN, "Capital of France?", null);
            HttpResponse<String> admin = ask(app, ADMIN, "Hi! Capital of France?", "local");
            assertThat(admin.statusCode(), is(200));
            assertThat(route(admin), is("local"));
            assertThat("a different request is refused even to an admin",
                    ask(app, ADMIN, "Capital of Italy?", "local").statusCode(), is(503));
        }
    }

    @Test
    void adminsListAndDeleteWhatWasLearnedPerTenant() {
        try (RunningApp app = secured()) {
            TEACHER.answerWith(r -> "Alice's answer");
            ask(app, ALICE, QUESTION, null);
            ask(app, ALICE, "Another question?", null);
            TEACHER.answerWith(r -> "Bob's answer");
            ask(app, BOB, QUESTION, null);
            String aliceTenant = ApiKeys.keyId(ALICE);
            JsonObject tenants = JsonText.parse(admin(app, "GET", "/admin/tenants").body());
            assertThat(tenants.getJsonArray("tenants").size(), is(2));
            JsonObject list = JsonText.parse(admin(app, "GET", "/admin/tenants/" + aliceTenant + "/exchanges").body());
            assertThat(list.getInt("total"), is(2));
            JsonObject first = list.getJsonArray("exchanges").getJsonObject(0);
            assertThat("text is shown only because log.store-text is on", first.getString("prompt"), is(QUESTION));
            assertThat(app.send(HttpRequest.newBuilder(app.uri("/admin/tenants")).header("x-api-key", ALICE).build())
                    .statusCode(), is(403));

            String id = first.getString("id");
            assertThat(admin(app, "DELETE", "/admin/tenants/" + ApiKeys.keyId(BOB) + "/exchanges/" + id).statusCode(),
                    is(404));
            assertThat(admin(app, "DELETE", "/admin/tenants/" + aliceTenant + "/exchanges/" + id).statusCode(), is(200));
            TEACHER.answerWith(r -> "Fresh answer");
            assertThat(route(ask(app, ALICE, QUESTION, null)), is("forward"));
            JsonObject deleted = JsonText.parse(admin(app, "DELETE", "/admin/tenants/" + aliceTenant + "/exchanges")
                    .body());
            assertThat(deleted.getInt("deleted"), is(2));
            assertThat("bob keeps his", route(ask(app, BOB, QUESTION, null)), is("local"));
        }
    }

    @Test
    void withForwardedClientKeysEachUpstreamKeyIsItsOwnTenant() {
        Map<String, String> config = Map.of("learning.enabled", "true", "learning.verify-rate", "0",
                "upstream.forward-client-key", "true", "upstream.api-key", "");
        try (RunningApp app = RunningApp.startIn(TEACHER.baseUrl(), dir, config, Clock.systemUTC())) {
            String one = FakeAnthropic.API_KEY + "-user-one";
            String two = FakeAnthropic.API_KEY + "-user-two";
            TEACHER.answerWith(r -> "User one's answer");
            ask(app, one, QUESTION, null);
            assertThat(route(ask(app, one, QUESTION, null)), is("local"));
            TEACHER.answerWith(r -> "User two's answer");
            HttpResponse<String> res = ask(app, two, QUESTION, null);
            assertThat(route(res), is("forward"));
            assertThat(text(res), is("User two's answer"));
        }
    }
}
