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
    void theSessionLimitIsA429NotA500WhenClientsHoldEverySession() {
        try (RunningApp shammah = RunningApp.start(UPSTREAM.baseUrl(), Map.of("server.max-sessions", "2"),
                Clock.systemUTC())) {
            assertThat(shammah.post("/v1/messages", MessagesForwardingTest.simple("a", "sess_a")).statusCode(), is(200));
            assertThat(shammah.post("/v1/messages", MessagesForwardingTest.simple("b", "sess_b")).statusCode(), is(200));
            HttpResponse<String> third = shammah.post("/v1/messages", MessagesForwardingTest.simple("c", "sess_c"));
            assertThat(third.statusCode(), is(429));
            JsonObject error = JsonText.parse(third.body()).getJsonObject("error");
            assertThat(error.getString("type"), is("rate_limit_error"));
            assertThat(error.getString("message"), containsString("server.max-sessions"));
            // Existing sessions still work at the limit, and nothing stored was lost.
            assertThat(shammah.post("/v1/messages", MessagesForwardingTest.simple("b2", "sess_b")).statusCode(), is(200));
            assertThat(JsonText.parse(shammah.get("/v1/session/sess_a").body()).getInt("message_count"), is(2));
            assertThat(shammah.post("/v1/messages", MessagesForwardingTest.simple("d", null)).statusCode(), is(429));
        }
    }

    @Test
    void clientsThatNeverUseSessionsAreNotRefusedAtTheLimit() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (RunningApp shammah = RunningApp.start(UPSTREAM.baseUrl(), Map.of("server.max-sessions", "3"), clock)) {
            String kept = JsonText.parse(shammah.post("/v1/messages", MessagesForwardingTest.simple("keep", null))
                    .body()).getString("session_id");
            clock.advance(Duration.ofSeconds(1));
            // Coming back with the id pins the session: it will not be evicted.
            assertThat(shammah.post("/v1/messages", MessagesForwardingTest.simple("again", kept)).statusCode(), is(200));
            String oldest = null;
            for (int i = 0; i < 10; i++) {
                clock.advance(Duration.ofSeconds(1));
                HttpResponse<String> res = shammah.post("/v1/messages", MessagesForwardingTest.simple("n" + i, null));
                assertThat(res.statusCode(), is(200));
                if (i == 0) {
                    oldest = JsonText.parse(res.body()).getString("session_id");
                }
            }
            assertThat(shammah.app().sessions().size(), is(3));
            assertThat(shammah.get("/v1/session/" + kept).statusCode(), is(200));
            assertThat("least recently active implicit session went first",
                    shammah.get("/v1/session/" + oldest).statusCode(), is(404));
            assertThat(ObservabilityTest.value(shammah.get("/metrics").body(), "shammah_sessions_evicted_total")
                    >= 8, is(true));
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
