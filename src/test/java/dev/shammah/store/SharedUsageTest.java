package dev.shammah.store;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.JsonText;
import dev.shammah.testsupport.Requests;
import dev.shammah.testsupport.RunningApp;
import dev.shammah.testsupport.SecuredConfig;
import dev.shammah.testsupport.TestPostgres;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.shammah.testsupport.Cluster.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Usage through a shared store: instances add up in {@code GET /admin/usage} (each instance's rows once, also after
 * it restarts), a budget holds across instances, and rows past {@code usage.keep-days} leave the database.
 */
class SharedUsageTest {
    static final FakeAnthropic TEACHER = FakeAnthropic.start();
    static final String ALICE = "alice-key";
    static final String ADMIN = "admin-key";

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    @AfterAll
    static void stop() {
        TEACHER.close();
    }

    private static Map<String, String> config(String url, Map<String, String> extra) {
        Map<String, String> c = new HashMap<>(TestPostgres.storeConfig(url));
        c.putAll(extra);
        return SecuredConfig.of(c, ADMIN, ALICE);
    }

    private static HttpResponse<String> ask(RunningApp app, String text) {
        HttpResponse<String> res = app.send(HttpRequest.newBuilder(app.uri("/v1/messages"))
                .header("content-type", "application/json").header("x-api-key", ALICE)
                .POST(HttpRequest.BodyPublishers.ofString(Requests.simple(text, null))).build());
        app.app().learning().drain();
        return res;
    }

    private static JsonObject usage(RunningApp app) {
        HttpResponse<String> res = app.send(HttpRequest.newBuilder(app.uri("/admin/usage"))
                .header("x-api-key", ADMIN).build());
        assertThat(res.body(), res.statusCode(), is(200));
        return JsonText.parse(res.body());
    }

    private static int requests(RunningApp app) {
        return usage(app).getJsonObject("totals").getInt("requests");
    }

    @Test
    void instancesAddUpOnceEachAcrossARestartAndOldRowsArePruned() {
        TEACHER.reset();
        TEACHER.answerWith(r -> "Paris.");
        String url = TestPostgres.shared().newDatabase();
        Map<String, String> c = config(url, Map.of("usage.keep-days", "30"));
        try (RunningApp a = RunningApp.startIn(TEACHER.baseUrl(), dirA, c, Clock.systemUTC())) {
            // An instance long gone left a row older than the days kept: whoever writes next deletes it.
            TestPostgres.sql(url, "insert into usage_hours (node, hour, tenant, model, requests, local_by_route, "
                    + "forwarded, refused, checks, teacher_input_tokens, teacher_output_tokens, saved_input_tokens, "
                    + "saved_output_tokens, spent_micros, saved_micros) values ('gone', now() - interval '40 days', "
                    + "'t', 'm', 7, '{}', 7, 0, 0, 1, 1, 0, 0, 1, 0)");
            try (RunningApp b = RunningApp.startIn(TEACHER.baseUrl(), dirB, c, Clock.systemUTC())) {
                assertThat(ask(a, "What is the capital of France?").statusCode(), is(200));
                assertThat(ask(a, "What is the capital of France?").headers().firstValue("x-shammah-route")
                        .orElse(""), is("local"));
                assertThat(ask(b, "What is the capital of Spain?").statusCode(), is(200));
                await("each instance's report holds both instances' requests", () -> requests(a) == 3
                        && requests(b) == 3);
                JsonObject totals = usage(a).getJsonObject("totals");
                assertThat(totals.getInt("local"), is(1));
                assertThat(totals.getInt("forwarded"), is(2));
                assertThat(totals.getJsonObject("local_by_route").getInt("same"), is(1));
                assertThat("one row per hour, tenant and model, not one per instance",
                        usage(b).getJsonArray("hours").size(), is(1));
                assertThat("the gone instance's old row is deleted", TestPostgres.count(url,
                        "select count(*) from usage_hours where node = 'gone'"), is(0L));
            }
        }
        // A restarted instance reads its counts back from its data dir and writes them again under the same node:
        // they replace what it wrote before instead of adding to it.
        try (RunningApp a = RunningApp.startIn(TEACHER.baseUrl(), dirA, c, Clock.systemUTC())) {
            assertThat(ask(a, "What is the capital of France?").statusCode(), is(200));
            await("the restarted instance's rows are rewritten", () -> TestPostgres.count(url,
                    "select coalesce(sum(requests), 0) from usage_hours") == 4L);
            assertThat(requests(a), is(4));
        }
    }

    @Test
    void aBudgetSpentOnOneInstanceStopsForwardingOnTheOther() {
        TEACHER.reset();
        TEACHER.answerWith(r -> "Paris.");
        String url = TestPostgres.shared().newDatabase();
        Map<String, String> c = config(url, Map.of("usage.default-budget.dollars", "0.00001",
                "usage.default-budget.period", "month"));
        try (RunningApp a = RunningApp.startIn(TEACHER.baseUrl(), dirA, c, Clock.systemUTC());
             RunningApp b = RunningApp.startIn(TEACHER.baseUrl(), dirB, c, Clock.systemUTC())) {
            assertThat(ask(a, "What is the capital of France?").statusCode(), is(200));
            await("the other instance sees the budget spent", () -> usage(b).getJsonArray("tenants").stream()
                    .anyMatch(t -> "exhausted".equals(t.asJsonObject().getJsonObject("budget").getString("state"))));
            int forwarded = TEACHER.received("/v1/messages").size();
            HttpResponse<String> refused = ask(b, "What is the capital of Spain?");
            assertThat(refused.body(), refused.statusCode(), is(402));
            assertThat(refused.body(), containsString("billing_error"));
            assertThat("nothing reached the teacher", TEACHER.received("/v1/messages").size(), is(forwarded));
            await("the other instance learned the answer", () -> ask(b, "What is the capital of France?")
                    .headers().firstValue("x-shammah-route").orElse("").equals("local"));
        }
    }
}
