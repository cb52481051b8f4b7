package dev.shammah.store;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.JsonText;
import dev.shammah.testsupport.MutableClock;
import dev.shammah.testsupport.Requests;
import dev.shammah.testsupport.RunningApp;
import dev.shammah.testsupport.TestPostgres;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.shammah.testsupport.Cluster.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** A conversation is the store's, not an instance's: a turn started on one continues on another. */
class SharedSessionsTest {
    static final FakeAnthropic TEACHER = FakeAnthropic.start();

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    @AfterAll
    static void stop() {
        TEACHER.close();
    }

    @BeforeEach
    void reset() {
        TEACHER.reset();
    }

    static JsonArray sentMessages() {
        return TEACHER.last().body().getJsonArray("messages");
    }

    static String content(JsonArray messages, int i) {
        JsonObject m = messages.getJsonObject(i);
        return m.get("content") instanceof jakarta.json.JsonString s ? s.getString()
                : m.getJsonArray("content").getJsonObject(0).getString("text");
    }

    @Test
    void aSessionStartedOnOneInstanceContinuesOnTheOther() {
        String url = TestPostgres.shared().newDatabase();
        try (RunningApp a = RunningApp.startIn(TEACHER.baseUrl(), dirA, TestPostgres.storeConfig(url), Clock.systemUTC());
             RunningApp b = RunningApp.startIn(TEACHER.baseUrl(), dirB, TestPostgres.storeConfig(url), Clock.systemUTC())) {
            TEACHER.answerWith(r -> "Nice to meet you.");
            assertThat(a.post("/v1/messages", Requests.simple("My name is Ada.", "conv-1")).statusCode(), is(200));
            TEACHER.answerWith(r -> "Your name is Ada.");
            HttpResponse<String> second = b.post("/v1/messages", Requests.simple("What is my name?", "conv-1"));
            assertThat(second.body(), second.statusCode(), is(200));
            JsonArray sent = sentMessages();
            assertThat("B sent the whole conversation upstream", sent.size(), is(3));
            assertThat(content(sent, 0), is("My name is Ada."));
            assertThat(content(sent, 1), is("Nice to meet you."));
            assertThat(content(sent, 2), is("What is my name?"));

            JsonObject meta = JsonText.parse(a.get("/v1/session/conv-1").body());
            assertThat(meta.getInt("turns"), is(2));
            assertThat(meta.getInt("message_count"), is(4));

            // A session nobody named (its id came back in the answer) continues elsewhere too.
            String id = JsonText.parse(b.post("/v1/messages", Requests.simple("Remember: 42.", null)).body())
                    .getString("session_id");
            a.post("/v1/messages", Requests.simple("What did I ask you to remember?", id));
            assertThat(sentMessages().size(), is(3));
            assertThat(content(sentMessages(), 0), is("Remember: 42."));

            HttpResponse<String> deleted = b.send(HttpRequest.newBuilder(b.uri("/v1/session/conv-1")).DELETE().build());
            assertThat(deleted.statusCode(), is(204));
            assertThat(a.get("/v1/session/conv-1").statusCode(), is(404));
        }
    }

    /**
     * A server-issued id the store does not hold (expired past the record of sessions gone, or never written) is
     * waited for as long as an outage is, then answered 404 on every instance: never re-created empty.
     */
    @Test
    void aServerIssuedIdTheStoreDoesNotHoldIsA404NeverAnEmptyConversation() {
        String url = TestPostgres.shared().newDatabase();
        Map<String, String> config = new java.util.HashMap<>(TestPostgres.storeConfig(url));
        config.put("store.outage-wait", "300ms");
        try (RunningApp a = RunningApp.startIn(TEACHER.baseUrl(), dirA, config, Clock.systemUTC());
             RunningApp b = RunningApp.startIn(TEACHER.baseUrl(), dirB, config, Clock.systemUTC())) {
            TEACHER.answerWith(r -> "Hello.");
            String forgotten = dev.shammah.session.SessionIds.newId();
            for (RunningApp app : List.of(a, b)) {
                HttpResponse<String> res = app.post("/v1/messages", Requests.simple("What is my name?", forgotten));
                assertThat(res.body(), res.statusCode(), is(404));
                assertThat(JsonText.parse(res.body()).getJsonObject("error").getString("message"),
                        org.hamcrest.Matchers.containsString("is not held here"));
            }
            assertThat(b.get("/v1/session/" + forgotten).statusCode(), is(404));
            assertThat("a client's own name still starts a session",
                    a.post("/v1/messages", Requests.simple("hi", "conv-own")).statusCode(), is(200));
        }
    }

    @Test
    void aTurnOnOneInstanceWaitsForTheTurnInFlightOnTheOther() throws Exception {
        String url = TestPostgres.shared().newDatabase();
        try (RunningApp a = RunningApp.startIn(TEACHER.baseUrl(), dirA, TestPostgres.storeConfig(url), Clock.systemUTC());
             RunningApp b = RunningApp.startIn(TEACHER.baseUrl(), dirB, TestPostgres.storeConfig(url), Clock.systemUTC())) {
            TEACHER.answerWith(r -> "answer to " + r.getJsonArray("messages").size() + " messages");
            TEACHER.delay(Duration.ofMillis(1500));
            CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() ->
                    a.post("/v1/messages", Requests.simple("first", "conv-2")));
            Thread.sleep(400);
            HttpResponse<String> second = b.post("/v1/messages", Requests.simple("second", "conv-2"));
            assertThat(first.get().statusCode(), is(200));
            assertThat(second.body(), second.statusCode(), is(200));
            // The second turn was built on the first: one history, in order, nothing lost.
            assertThat(JsonText.parse(second.body()).getJsonArray("content").getJsonObject(0).getString("text"),
                    is("answer to 3 messages"));
            assertThat(JsonText.parse(b.get("/v1/session/conv-2").body()).getInt("message_count"), is(4));
        }
    }

    @Test
    void anExpiredSessionIsGoneForEveryInstanceAndTheLimitsHoldAcrossThem() {
        String url = TestPostgres.shared().newDatabase();
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
        Map<String, String> c = new HashMap<>(TestPostgres.storeConfig(url));
        c.put("server.session-timeout-minutes", "1");
        c.put("server.reaper-interval", "100ms");
        c.put("server.max-sessions-per-client", "2");
        try (RunningApp a = RunningApp.startIn(TEACHER.baseUrl(), dirA, c, clock);
             RunningApp b = RunningApp.startIn(TEACHER.baseUrl(), dirB, c, clock)) {
            a.post("/v1/messages", Requests.simple("hello", "conv-3"));
            clock.advance(Duration.ofMinutes(2));
            await("the reaper expired it", () -> a.app().sessions().size() == 0);
            HttpResponse<String> late = b.post("/v1/messages", Requests.simple("still there?", "conv-3"));
            assertThat(late.statusCode(), is(404));
            assertThat(late.body(), containsString("expired"));

            // One client (this address) past max-sessions-per-client: its least recent sessions make room.
            List<String> ids = new java.util.ArrayList<>();
            for (RunningApp app : List.of(a, b, a, b)) {
                ids.add(JsonText.parse(app.post("/v1/messages", Requests.simple("new conversation", null)).body())
                        .getString("session_id"));
                clock.advance(Duration.ofSeconds(1));
            }
            await("the limit holds across instances", () -> a.app().sessions().size() <= 2
                    && b.app().sessions().size() <= 2);
            HttpResponse<String> evicted = b.post("/v1/messages", Requests.simple("the first one?", ids.get(0)));
            assertThat(evicted.statusCode(), is(404));
            assertThat(evicted.body(), containsString("evicted"));
            assertThat(a.post("/v1/messages", Requests.simple("the last one", ids.get(3))).statusCode(), is(200));
        }
    }
}
