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
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** {@code Cache-Control} on a request: no-cache forwards and still learns, no-store forwards and keeps nothing. */
class CacheControlTest {
    static final FakeAnthropic TEACHER = FakeAnthropic.start();
    static final String QUESTION = "What is the capital of France?";

    @TempDir
    Path data;

    @AfterAll
    static void stop() {
        TEACHER.close();
    }

    @BeforeEach
    void reset() {
        TEACHER.reset();
        TEACHER.answerWith(r -> "Paris.");
    }

    private RunningApp start() {
        return RunningApp.startIn(TEACHER.baseUrl(), data, Map.of("learning.enabled", "true",
                "learning.verify-rate", "0"), Clock.systemUTC());
    }

    private static String ask(RunningApp app, String text, String cacheControl) {
        HttpRequest.Builder b = HttpRequest.newBuilder(app.uri("/v1/messages"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Requests.simple(text, null)));
        if (cacheControl != null) {
            b.header("cache-control", cacheControl);
        }
        HttpResponse<String> res = app.send(b.build());
        app.app().learning().drain();
        assertThat(res.body(), res.statusCode(), is(200));
        assertThat(JsonText.parse(res.body()).getJsonArray("content").getJsonObject(0).getString("text"),
                is("Paris."));
        return res.headers().firstValue("x-shammah-route").orElse("");
    }

    private static JsonObject status(RunningApp app) {
        return JsonText.parse(app.get("/v1/training/status").body());
    }

    @Test
    void noCacheForwardsWhatWouldBeLocalAndStillLearns() {
        try (RunningApp app = start()) {
            assertThat(ask(app, QUESTION, null), is("forward"));
            assertThat(ask(app, QUESTION, null), is("local"));
            int asked = TEACHER.received("/v1/messages").size();
            assertThat(ask(app, QUESTION, "no-cache"), is("forward"));
            assertThat(ask(app, QUESTION, "max-age=0"), is("forward"));
            assertThat("the teacher answered both", TEACHER.received("/v1/messages").size(), is(asked + 2));
            assertThat("and both answers were compared with the stored one",
                    status(app).getJsonObject("shadow").getInt("passes"), is(2));
            assertThat(ask(app, QUESTION, "public, max-age=60"), is("local"));
        }
    }

    @Test
    void noStoreForwardsAndKeepsNothing() {
        try (RunningApp app = start()) {
            assertThat(ask(app, QUESTION, "no-store"), is("forward"));
            assertThat("nothing was kept", status(app).getInt("memory_exchanges"), is(0));
            assertThat("so the same request is forwarded again", ask(app, QUESTION, null), is("forward"));
            assertThat(status(app).getInt("memory_exchanges"), is(1));
            assertThat(ask(app, QUESTION, null), is("local"));
            assertThat("a stored answer is not served to no-store either", ask(app, QUESTION, "No-Store"),
                    is("forward"));
            assertThat(status(app).getJsonObject("shadow").getInt("passes"), is(0));
        }
    }
}
