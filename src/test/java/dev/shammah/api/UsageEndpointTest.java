package dev.shammah.api;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.JsonText;
import dev.shammah.testsupport.Requests;
import dev.shammah.testsupport.RunningApp;
import dev.shammah.testsupport.SecuredConfig;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/**
 * {@code GET /admin/usage} over HTTP: what each tenant's requests did, for an admin key only, the same after a
 * restart.
 */
class UsageEndpointTest {
    static final FakeAnthropic TEACHER = FakeAnthropic.start();
    static final String ALICE = "alice-key";
    static final String BOB = "bob-key";
    static final String ADMIN = "admin-key";

    @TempDir
    Path dir;

    @AfterAll
    static void stop() {
        TEACHER.close();
    }

    private RunningApp start() {
        return start(Map.of());
    }

    private RunningApp start(Map<String, String> extra) {
        return RunningApp.startIn(TEACHER.baseUrl(), dir, SecuredConfig.of(extra, ADMIN, ALICE, BOB),
                Clock.systemUTC());
    }

    private static HttpResponse<String> ask(RunningApp app, String key, String text) {
        HttpResponse<String> res = app.send(HttpRequest.newBuilder(app.uri("/v1/messages"))
                .header("content-type", "application/json").header("x-api-key", key)
                .POST(HttpRequest.BodyPublishers.ofString(Requests.simple(text, null))).build());
        app.app().learning().drain();
        return res;
    }

    private static HttpResponse<String> usage(RunningApp app, String key, String query) {
        return app.send(HttpRequest.newBuilder(app.uri("/admin/usage" + query)).header("x-api-key", key).build());
    }

    private static String tenantOf(RunningApp app, String key) {
        return JsonText.parse(app.send(HttpRequest.newBuilder(app.uri("/v1/training/status"))
                .header("x-api-key", key).build()).body()).getString("tenant");
    }

    /** A spent budget stops forwarding with a 402 billing_error; the tenant's local answers go on. */
    @Test
    void aSpentBudgetStopsForwardingButNotLocalAnswers() {
        TEACHER.reset();
        TEACHER.answerWith(r -> "Paris.");
        try (RunningApp app = start(Map.of("usage.default-budget.dollars", "0.00001",
                "usage.default-budget.period", "day"))) {
            assertThat(ask(app, ALICE, "What is the capital of France?").statusCode(), is(200));
            int forwarded = TEACHER.received("/v1/messages").size();
            HttpResponse<String> refused = ask(app, ALICE, "What is the capital of Spain?");
            assertThat(refused.body(), refused.statusCode(), is(402));
            JsonObject error = JsonText.parse(refused.body()).getJsonObject("error");
            assertThat(error.getString("type"), is("billing_error"));
            assertThat(error.getString("message"), containsString("teacher budget of $0.00001 per day is spent"));
            assertThat("never sent upstream", TEACHER.received("/v1/messages").size(), is(forwarded));
            HttpResponse<String> local = ask(app, ALICE, "What is the capital of France?");
            assertThat(local.statusCode(), is(200));
            assertThat(local.headers().firstValue("x-shammah-route").orElse(""), is("local"));
            assertThat("another tenant's budget is its own", ask(app, BOB, "What is the capital of Spain?")
                    .statusCode(), is(200));
            JsonObject alice = JsonText.parse(usage(app, ADMIN, "?tenant=" + tenantOf(app, ALICE)).body())
                    .getJsonArray("tenants").getJsonObject(0);
            assertThat(alice.getJsonObject("budget").getString("state"), is("exhausted"));
            assertThat(alice.getInt("refused"), is(1));
        }
    }

    /** Verifying a local answer asks the teacher: a check, whose tokens count as spend — and none once spent. */
    @Test
    void verificationsAreCountedAsTeacherSpendAndStopWhenTheBudgetIsSpent() {
        TEACHER.reset();
        TEACHER.answerWith(r -> "Paris.");
        try (RunningApp app = start(Map.of("learning.verify-rate", "1"))) {
            ask(app, ALICE, "What is the capital of France?");
            ask(app, ALICE, "What is the capital of France?");
            JsonObject totals = JsonText.parse(usage(app, ADMIN, "").body()).getJsonObject("totals");
            assertThat(totals.getInt("requests"), is(2));
            assertThat(totals.getInt("local"), is(1));
            assertThat("the local answer was checked with the teacher", totals.getInt("checks"), is(1));
            assertThat(TEACHER.received("/v1/messages").size(), is(2));
        }
        TEACHER.reset();
        TEACHER.answerWith(r -> "Paris.");
        try (RunningApp app = start(Map.of("learning.verify-rate", "1", "usage.default-budget.dollars", "0.00001",
                "usage.default-budget.period", "day"))) {
            // The totals above are kept: this tenant's budget is spent already, so nothing reaches the teacher.
            assertThat(ask(app, ALICE, "What is the capital of France?").statusCode(), is(200));
            assertThat("no check for a tenant whose budget is spent", TEACHER.received("/v1/messages").size(), is(0));
        }
    }

    @Test
    void totalsPerTenantForAdminsOnlyKeptAcrossARestart() {
        TEACHER.reset();
        TEACHER.answerWith(r -> "Paris.");
        JsonObject before;
        String alice;
        try (RunningApp app = start()) {
            alice = tenantOf(app, ALICE);
            assertThat(ask(app, ALICE, "What is the capital of France?").headers().firstValue("x-shammah-route")
                    .orElse(""), is("forward"));
            assertThat(ask(app, ALICE, "What is the capital of France?").headers().firstValue("x-shammah-route")
                    .orElse(""), is("local"));
            ask(app, BOB, "What is the capital of Spain?");
            HttpResponse<String> res = usage(app, ADMIN, "");
            assertThat(res.body(), res.statusCode(), is(200));
            before = JsonText.parse(res.body());
            JsonObject totals = before.getJsonObject("totals");
            assertThat(totals.getInt("requests"), is(3));
            assertThat(totals.getInt("local"), is(1));
            assertThat(totals.getInt("forwarded"), is(2));
            assertThat(totals.getJsonObject("local_by_route").getInt("same"), is(1));
            assertThat(totals.getJsonNumber("saved_usd").doubleValue(), greaterThan(0.0));
            assertThat(totals.getJsonNumber("spent_usd").doubleValue(), greaterThan(0.0));
            assertThat(before.getJsonArray("tenants").size(), is(2));

            JsonObject onlyAlice = JsonText.parse(usage(app, ADMIN, "?tenant=" + alice).body());
            assertThat(onlyAlice.getJsonObject("totals").getInt("requests"), is(2));
            assertThat(onlyAlice.getJsonObject("totals").getJsonNumber("local_share").doubleValue(), is(0.5));
            assertThat(onlyAlice.getJsonArray("hours").size(), is(1));
            assertThat(JsonText.parse(usage(app, ADMIN, "?to=2000-01-01").body()).getJsonObject("totals")
                    .getInt("requests"), is(0));

            assertThat("a client key is not an admin key", usage(app, ALICE, "").statusCode(), is(403));
            HttpResponse<String> training = app.send(HttpRequest.newBuilder(app.uri("/admin/tenants/" + alice
                    + "/training")).header("x-api-key", ADMIN).build());
            assertThat(training.statusCode(), is(200));
            assertThat("a tenant's evidence, as its own keys see it", JsonText.parse(training.body())
                    .getString("tenant"), is(alice));
            assertThat(app.send(HttpRequest.newBuilder(app.uri("/admin/tenants/" + alice + "/training"))
                    .header("x-api-key", BOB).build()).statusCode(), is(403));
            assertThat(usage(app, "nobody", "").statusCode(), is(401));
            HttpResponse<String> bad = usage(app, ADMIN, "?from=yesterday");
            assertThat(bad.statusCode(), is(400));
            assertThat(bad.body(), containsString("from must be an instant"));
        }
        try (RunningApp app = start()) {
            JsonObject after = JsonText.parse(usage(app, ADMIN, "").body());
            assertThat("kept across a restart", after.getJsonObject("totals"), is(before.getJsonObject("totals")));
        }
    }
}
