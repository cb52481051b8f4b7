package dev.shammah.api;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.JsonText;
import dev.shammah.testsupport.MutableClock;
import dev.shammah.testsupport.RunningApp;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/** GET/DELETE /v1/session/{id}, the max-sessions limit and the idle reaper, over HTTP. */
class SessionApiTest {
    static final FakeAnthropic UPSTREAM = FakeAnthropic.start();

    @AfterAll
    static void stop() {
        UPSTREAM.close();
    }

    @Test
    void getAndDeleteASessionAnd404sForUnknownIds() {
        try (RunningApp shammah = RunningApp.start(UPSTREAM.baseUrl(), Map.of(), Clock.systemUTC())) {
            HttpResponse<String> unknown = shammah.get("/v1/session/sess_doesnotexist");
            assertThat(unknown.statusCode(), is(404));
            assertThat(JsonText.parse(unknown.body()).getJsonObject("error").getString("type"), is("not_found_error"));
            assertThat("a GET never creates a session", shammah.app().sessions().size(), is(0));

            String id = JsonText.parse(shammah.post("/v1/messages", MessagesForwardingTest.simple("hi", null)).body())
                    .getString("session_id");
            HttpResponse<String> got = shammah.get("/v1/session/" + id);
            assertThat(got.statusCode(), is(200));
            JsonObject meta = JsonText.parse(got.body());
            assertThat(meta.getString("id"), is(id));
            assertThat(meta.getInt("message_count"), is(2));
            assertThat(meta.getJsonObject("usage").getInt("output_tokens"), greaterThan(0));
            assertThat(Instant.parse(meta.getString("created_at")).isAfter(Instant.EPOCH), is(true));

            HttpResponse<String> deleted = shammah.send(HttpRequest.newBuilder(shammah.uri("/v1/session/" + id))
                    .DELETE().build());
            assertThat(deleted.statusCode(), is(204));
            assertThat(shammah.get("/v1/session/" + id).statusCode(), is(404));
            HttpResponse<String> again = shammah.send(HttpRequest.newBuilder(shammah.uri("/v1/session/" + id))
                    .DELETE().build());
            assertThat(again.statusCode(), is(404));
        }
    }

    @Test
    void theSessionLimitIsA429NotA500() {
        try (RunningApp shammah = RunningApp.start(UPSTREAM.baseUrl(), Map.of("server.max-sessions", "2"),
                Clock.systemUTC())) {
            assertThat(shammah.post("/v1/messages", MessagesForwardingTest.simple("a", null)).statusCode(), is(200));
            String second = JsonText.parse(shammah.post("/v1/messages", MessagesForwardingTest.simple("b", null))
                    .body()).getString("session_id");
            HttpResponse<String> third = shammah.post("/v1/messages", MessagesForwardingTest.simple("c", null));
            assertThat(third.statusCode(), is(429));
            JsonObject error = JsonText.parse(third.body()).getJsonObject("error");
            assertThat(error.getString("type"), is("rate_limit_error"));
            assertThat(error.getString("message"), containsString("server.max-sessions"));
            // Existing sessions still work at the limit.
            assertThat(shammah.post("/v1/messages", MessagesForwardingTest.simple("b2", second)).statusCode(), is(200));
        }
    }

    @Test
    void theReaperExpiresIdleSessions() throws InterruptedException {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (RunningApp shammah = RunningApp.start(UPSTREAM.baseUrl(),
                Map.of("server.session-timeout-minutes", "30", "server.reaper-interval", "20ms"), clock)) {
            String idle = JsonText.parse(shammah.post("/v1/messages", MessagesForwardingTest.simple("old", null))
                    .body()).getString("session_id");
            clock.advance(Duration.ofMinutes(20));
            String fresh = JsonText.parse(shammah.post("/v1/messages", MessagesForwardingTest.simple("new", null))
                    .body()).getString("session_id");
            clock.advance(Duration.ofMinutes(11)); // idle: 31 min, fresh: 11 min
            awaitStatus(shammah, "/v1/session/" + idle, 404);
            assertThat(shammah.get("/v1/session/" + fresh).statusCode(), is(200));
            assertThat(shammah.app().sessions().size(), is(1));
        }
    }

    /** The reaper runs on its own thread every 20 ms: wait (bounded) for it to have run. */
    private static void awaitStatus(RunningApp shammah, String path, int status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (shammah.get(path).statusCode() != status) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(path + " never answered " + status);
            }
            Thread.sleep(10);
        }
    }
}
