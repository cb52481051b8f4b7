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
import static org.hamcrest.Matchers.lessThanOrEqualTo;

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

    /**
     * A server-issued id pushed out of the record of sessions gone (1,000 kept with max-sessions 2) is still never
     * re-created empty: 404, while a client's own name still starts a session.
     */
    @Test
    void aServerIssuedIdIsNeverRevivedEmptyOnceItsRecordIsGone() {
        try (RunningApp shammah = RunningApp.start(UPSTREAM.baseUrl(), Map.of("server.max-sessions", "2"),
                Clock.systemUTC())) {
            String id = JsonText.parse(shammah.post("/v1/messages", MessagesForwardingTest.simple("My name is Ada.",
                    null)).body()).getString("session_id");
            assertThat(shammah.post("/v1/messages", MessagesForwardingTest.simple("again", id)).statusCode(), is(200));
            // Named sessions of the same client: each evicts the least recently active, the first of them this one.
            for (int i = 0; i < 1100; i++) {
                assertThat(shammah.post("/v1/messages", MessagesForwardingTest.simple("other", "other-" + i))
                        .statusCode(), is(200));
            }
            HttpResponse<String> back = shammah.post("/v1/messages", MessagesForwardingTest.simple("What is my name?",
                    id));
            assertThat(back.body(), back.statusCode(), is(404));
            JsonObject error = JsonText.parse(back.body()).getJsonObject("error");
            assertThat(error.getString("type"), is("not_found_error"));
            assertThat(error.getString("message"), containsString("is not held here"));
            assertThat("nothing was started under the old id", shammah.get("/v1/session/" + id).statusCode(), is(404));

            HttpResponse<String> named = shammah.post("/v1/messages", MessagesForwardingTest.simple("hi", "my-own-name"));
            assertThat(named.statusCode(), is(200));
            assertThat(JsonText.parse(named.body()).getString("session_id"), is("my-own-name"));
        }
    }

    @Test
    void aConversationThatNoLongerFitsOneUpstreamRequestIsA413AndKeepsItsTurns() {
        try (RunningApp shammah = RunningApp.start(UPSTREAM.baseUrl(), Map.of("server.max-body-bytes", "4096"),
                Clock.systemUTC())) {
            String text = "x".repeat(900);
            String id = JsonText.parse(shammah.post("/v1/messages", MessagesForwardingTest.simple(text, null)).body())
                    .getString("session_id");
            HttpResponse<String> res = null;
            int turns = 1;
            for (int i = 0; i < 8; i++) {
                res = shammah.post("/v1/messages", MessagesForwardingTest.simple(text, id));
                if (res.statusCode() != 200) {
                    break;
                }
                turns++;
            }
            assertThat(res.body(), res.statusCode(), is(413));
            JsonObject error = JsonText.parse(res.body()).getJsonObject("error");
            assertThat(error.getString("type"), is("request_too_large"));
            assertThat(error.getString("message").contains("start a new session"), is(true));
            assertThat("the turns already held are kept", JsonText.parse(shammah.get("/v1/session/" + id).body())
                    .getInt("message_count"), is(2 * turns));
        }
    }

    @Test
    void madeUpSessionIdsCannotDenyServiceToOtherClientsOrToSessionlessTraffic() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (RunningApp shammah = RunningApp.start(UPSTREAM.baseUrl(), Map.of("server.max-sessions", "10",
                "server.max-sessions-per-client", "3"), clock)) {
            clock.advance(Duration.ofSeconds(1));
            String kept = JsonText.parse(shammah.post("/v1/messages", MessagesForwardingTest.simple("keep", null))
                    .body()).getString("session_id");
            // One client floods made-up ids: every one is answered, and only its own sessions make room.
            for (int i = 0; i < 50; i++) {
                clock.advance(Duration.ofSeconds(1));
                HttpResponse<String> res = shammah.post("/v1/messages", MessagesForwardingTest.simple("f" + i,
                        "made-up-" + i));
                assertThat(res.statusCode(), is(200));
            }
            assertThat(shammah.app().sessions().size(), lessThanOrEqualTo(10));
            // Session-less traffic is never refused.
            for (int i = 0; i < 30; i++) {
                clock.advance(Duration.ofSeconds(1));
                assertThat(shammah.post("/v1/messages", MessagesForwardingTest.simple("n" + i, null)).statusCode(),
                        is(200));
            }
            assertThat(ObservabilityTest.value(shammah.get("/metrics").body(), "shammah_sessions_evicted_total")
                    > 0, is(true));
            // A session that made room is not silently recreated empty: its client is told.
            HttpResponse<String> back = shammah.post("/v1/messages", MessagesForwardingTest.simple("back", kept));
            assertThat(back.statusCode(), is(404));
            assertThat(JsonText.parse(back.body()).getJsonObject("error").getString("message"),
                    containsString("expired or was evicted"));
        }
    }

    @Test
    void aConversationItsClientContinuesOutlastsSessionlessTrafficFromTheSameMachine() {
        // With auth off every local tool is one client (127.0.0.1): the REPL's conversation must not be pushed
        // out by the implicit sessions Claude Code and SDK scripts leave behind.
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (RunningApp shammah = RunningApp.start(UPSTREAM.baseUrl(), Map.of("server.max-sessions", "10",
                "server.max-sessions-per-client", "4"), clock)) {
            String repl = JsonText.parse(shammah.post("/v1/messages", MessagesForwardingTest.simple("one", null))
                    .body()).getString("session_id");
            clock.advance(Duration.ofSeconds(1));
            assertThat(shammah.post("/v1/messages", MessagesForwardingTest.simple("two", repl)).statusCode(), is(200));
            for (int i = 0; i < 30; i++) {
                clock.advance(Duration.ofSeconds(1));
                assertThat(shammah.post("/v1/messages", MessagesForwardingTest.simple("n" + i, null)).statusCode(),
                        is(200));
            }
            clock.advance(Duration.ofSeconds(1));
            assertThat(shammah.post("/v1/messages", MessagesForwardingTest.simple("three", repl)).statusCode(),
                    is(200));
            assertThat(JsonText.parse(shammah.get("/v1/session/" + repl).body()).getInt("message_count"), is(6));
        }
    }

    @Test
    void aSessionInUseIsNotEvictedAndRecentOnesStay() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (RunningApp shammah = RunningApp.start(UPSTREAM.baseUrl(), Map.of("server.max-sessions", "3"), clock)) {
            String oldest = null;
            String newest = null;
            for (int i = 0; i < 6; i++) {
                clock.advance(Duration.ofSeconds(1));
                HttpResponse<String> res = shammah.post("/v1/messages", MessagesForwardingTest.simple("n" + i, null));
                assertThat(res.statusCode(), is(200));
                newest = JsonText.parse(res.body()).getString("session_id");
                if (i == 0) {
                    oldest = newest;
                }
            }
            assertThat(shammah.app().sessions().size(), is(3));
            assertThat(shammah.get("/v1/session/" + newest).statusCode(), is(200));
            assertThat("least recently active went first", shammah.get("/v1/session/" + oldest).statusCode(),
                    is(404));
        }
    }

    @Test
    void aConversationEchoedBackWithExtraFieldsIsNotSentTwice() {
        UPSTREAM.reset();
        try (RunningApp shammah = RunningApp.start(UPSTREAM.baseUrl(), Map.of(), Clock.systemUTC())) {
            JsonObject first = JsonText.parse(shammah.post("/v1/messages", MessagesForwardingTest.simple("hello",
                    "sess_echo")).body());
            String answer = first.getJsonArray("content").getJsonObject(0).getString("text");
            // An SDK echoes the assistant turn with citations: null and the user turn as a block list.
            String echoed = jakarta.json.Json.createObjectBuilder().add("model", "claude-test").add("max_tokens", 50)
                    .add("session_id", "sess_echo")
                    .add("messages", jakarta.json.Json.createArrayBuilder()
                            .add(jakarta.json.Json.createObjectBuilder().add("role", "user").add("content",
                                    jakarta.json.Json.createArrayBuilder().add(jakarta.json.Json.createObjectBuilder()
                                            .add("type", "text").add("text", "hello"))))
                            .add(jakarta.json.Json.createObjectBuilder().add("role", "assistant").add("content",
                                    jakarta.json.Json.createArrayBuilder().add(jakarta.json.Json.createObjectBuilder()
                                            .add("type", "text").add("text", answer).addNull("citations"))))
                            .add(jakarta.json.Json.createObjectBuilder().add("role", "user").add("content", "and?")))
                    .build().toString();
            assertThat(shammah.post("/v1/messages", echoed).statusCode(), is(200));
            assertThat("history not prepended a second time", UPSTREAM.last().body().getJsonArray("messages").size(),
                    is(3));
            assertThat(JsonText.parse(shammah.get("/v1/session/sess_echo").body()).getInt("message_count"), is(4));
        }
    }

    @Test
    void concurrentTurnsOfOneSessionAreAnsweredOneAfterTheOther() throws Exception {
        UPSTREAM.reset();
        try (RunningApp shammah = RunningApp.start(UPSTREAM.baseUrl(), Map.of(), Clock.systemUTC())) {
            UPSTREAM.delay(Duration.ofMillis(200));
            try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                String one = dev.shammah.testsupport.Requests.simple("one", "sess_cc");
                String two = dev.shammah.testsupport.Requests.simple("two", "sess_cc");
                var a = pool.submit(() -> shammah.post("/v1/messages", one));
                Thread.sleep(50);
                var b = pool.submit(() -> shammah.post("/v1/messages", two));
                assertThat(a.get().statusCode(), is(200));
                assertThat(b.get().statusCode(), is(200));
            }
            // Both turns recorded in order, none built on a stale history.
            assertThat(JsonText.parse(shammah.get("/v1/session/sess_cc").body()).getInt("message_count"), is(4));
            java.util.List<Integer> sent = UPSTREAM.received("/v1/messages").stream()
                    .map(r -> r.body().getJsonArray("messages").size()).sorted().toList();
            assertThat(sent, is(java.util.List.of(1, 3)));
        } finally {
            UPSTREAM.delay(Duration.ZERO);
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
