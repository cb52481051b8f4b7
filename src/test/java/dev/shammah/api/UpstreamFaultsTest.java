package dev.shammah.api;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;

import dev.shammah.testsupport.JsonText;
import dev.shammah.testsupport.RawUpstream;
import dev.shammah.testsupport.Requests;
import dev.shammah.testsupport.RunningApp;
import dev.shammah.testsupport.SseClient;
import dev.shammah.testsupport.StreamGrammar;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

/**
 * Upstream faults at the wire level (a raw-socket upstream): every one ends in a clean answer or a clean
 * Anthropic error, never a 500 or a Java class name, and a whole answer is kept in the session.
 */
class UpstreamFaultsTest {
    static final RawUpstream UPSTREAM = RawUpstream.start();

    @AfterAll
    static void stop() {
        UPSTREAM.close();
    }

    private static RunningApp app(Map<String, String> extra) {
        return RunningApp.start(UPSTREAM.baseUrl(), extra, Clock.systemUTC());
    }

    private static String streamed(String text) {
        return Json.createObjectBuilder().add("model", "claude-test").add("max_tokens", 50).add("stream", true)
                .add("messages", Json.createArrayBuilder().add(Json.createObjectBuilder().add("role", "user")
                        .add("content", text))).build().toString();
    }

    private static int turns(RunningApp app, String session) {
        return JsonText.parse(app.get("/v1/session/" + session).body()).getInt("turns");
    }

    @Test
    void aJsonAnswerEndedByClosingTheConnectionIsAWholeAnswer() {
        UPSTREAM.mode(RawUpstream.Mode.CLOSE_DELIMITED_JSON);
        try (RunningApp app = app(Map.of())) {
            HttpResponse<String> res = app.post("/v1/messages", Requests.simple("hi", null));
            assertThat(res.body(), res.statusCode(), is(200));
            JsonObject body = JsonText.parse(res.body());
            assertThat(body.getJsonArray("content").getJsonObject(0).getString("text"), is(RawUpstream.TEXT));
            assertThat("kept in the session", turns(app, body.getString("session_id")), is(1));
        }
    }

    @Test
    void aStreamEndedByClosingTheConnectionEndsCleanlyAndIsKept() {
        UPSTREAM.mode(RawUpstream.Mode.CLOSE_DELIMITED_SSE);
        try (RunningApp app = app(Map.of())) {
            SseClient.Result r = SseClient.post(app.uri("/v1/messages"), streamed("hi"), e -> { });
            StreamGrammar.check(r.events());
            assertThat(r.events().get(r.events().size() - 1).event(), is("message_stop"));
            assertThat("no error after message_stop", r.events().stream().noneMatch(e -> e.event().equals("error")),
                    is(true));
            String session = r.events().stream().filter(e -> e.event().equals("message_start")).findFirst()
                    .map(e -> "x").orElseThrow();
            assertThat(session, is("x"));
            String log = app.get("/metrics").body();
            assertThat(log, not(containsString("status=\"502\"")));
        }
    }

    @Test
    void aConnectionTheUpstreamClosedWhileIdleInThePoolIsRetriedNotA500() {
        UPSTREAM.mode(RawUpstream.Mode.CLOSE_WHEN_IDLE);
        try (RunningApp app = app(Map.of())) {
            for (int i = 0; i < 8; i++) {
                HttpResponse<String> res = app.post("/v1/messages", Requests.simple("hi " + i, null));
                assertThat("request " + i + ": " + res.body(), res.statusCode(), is(200));
            }
            assertThat("stale pooled connections were met, and retried", UPSTREAM.dropped() > 0, is(true));
        }
    }

    @Test
    void aResetBeforeAnyResponseByteIsRetried() {
        UPSTREAM.mode(RawUpstream.Mode.RESET_FIRST);
        UPSTREAM.failures(1);
        try (RunningApp app = app(Map.of())) {
            HttpResponse<String> res = app.post("/v1/messages", Requests.simple("hi", null));
            assertThat(res.body(), res.statusCode(), is(200));
            UPSTREAM.failures(10);
            HttpResponse<String> failed = app.post("/v1/messages", Requests.simple("again", null));
            assertThat(failed.statusCode(), is(529));
            String message = JsonText.parse(failed.body()).getJsonObject("error").getString("message");
            assertThat(message, not(containsString("Exception")));
            assertThat(message, not(containsString("java.")));
            assertThat(message, not(containsString("null")));
        }
    }

    @Test
    void anAnswerWhoseStatusLineLostItsFirstByteIsRetriedNeverA500() {
        UPSTREAM.mode(RawUpstream.Mode.FIRST_BYTE_LOST);
        UPSTREAM.failures(1);
        try (RunningApp app = app(Map.of())) {
            HttpResponse<String> res = app.post("/v1/messages", Requests.simple("hi", null));
            assertThat(res.body(), res.statusCode(), is(200));
            UPSTREAM.failures(10);
            HttpResponse<String> failed = app.post("/v1/messages", Requests.simple("again", null));
            assertThat(failed.body(), failed.statusCode(), is(529));
            String message = JsonText.parse(failed.body()).getJsonObject("error").getString("message");
            assertThat(message, containsString("status line"));
            assertThat(message, not(containsString("Exception")));
            assertThat(message, not(containsString("java.")));
        }
    }

    @Test
    void upstreamTimeoutIsATotalDeadlineNotPerRead() {
        UPSTREAM.mode(RawUpstream.Mode.DRIP);
        UPSTREAM.drip(20);
        try (RunningApp app = app(Map.of("upstream.timeout", "1s", "upstream.max-retries", "0"))) {
            long start = System.nanoTime();
            HttpResponse<String> res = app.post("/v1/messages", Requests.simple("hi", null));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(res.statusCode(), is(504));
            assertThat(millis, lessThan(2500L));
            String message = JsonText.parse(res.body()).getJsonObject("error").getString("message");
            assertThat(message, containsString("upstream.timeout"));
            assertThat(message, not(containsString("Exception")));
        }
    }
}
