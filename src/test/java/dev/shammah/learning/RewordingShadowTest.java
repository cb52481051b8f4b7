package dev.shammah.learning;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import dev.shammah.api.ApiKeys;
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

/**
 * Rewordings observed in shadow, over HTTP: every request is forwarded as before, and what serving the nearest
 * stored prompt would have done is recorded — guard verdict and agreement — per tenant, durably.
 */
class RewordingShadowTest {
    static final FakeAnthropic TEACHER = FakeAnthropic.start();
    static final String ALICE = "alice-key";
    static final String BOB = "bob-key";
    static final String STORED = "How can I improve my English speaking?";
    static final String REWORDED = "What should I do to improve my speaking in English?";
    static final String QUALIFIED = "How can I improve my English speaking skills?";
    static final String NEAR_MISS = "How can I improve my French speaking?";
    static final Map<String, String> ANSWERS = Map.of(
            STORED, "Speak every day.",
            REWORDED, "Speak every day.",
            QUALIFIED, "Join a conversation club.",
            NEAR_MISS, "Watch French films.");

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
        Map<String, String> config = new HashMap<>(extra);
        config.put("learning.enabled", "true");
        config.put("learning.verify-rate", "0");
        config.put("server.auth-enabled", "true");
        config.put("server.api-keys", ApiKeys.hashed(ALICE) + "," + ApiKeys.hashed(BOB));
        return RunningApp.startIn(TEACHER.baseUrl(), dir, config, Clock.systemUTC());
    }

    private static String ask(RunningApp app, String key, String text) {
        HttpResponse<String> res = app.send(HttpRequest.newBuilder(app.uri("/v1/messages"))
                .header("content-type", "application/json").header("x-api-key", key)
                .POST(HttpRequest.BodyPublishers.ofString(Requests.simple(text, null))).build());
        app.app().learning().drain();
        assertThat(res.statusCode(), is(200));
        return res.headers().firstValue("x-shammah-route").orElse("");
    }

    private static String lastUserText(JsonObject request) {
        var messages = request.getJsonArray("messages");
        return messages.getJsonObject(messages.size() - 1).getString("content", "");
    }

    private static JsonObject rewordings(RunningApp app, String key) {
        return JsonText.parse(app.send(HttpRequest.newBuilder(app.uri("/v1/training/status")).header("x-api-key", key)
                .build()).body()).getJsonObject("rewordings");
    }

    /** learning.observe-rewordings: false — what the side-by-side bench's "no-rewordings" target relies on. */
    @Test
    void observingCanBeTurnedOff() throws Exception {
        TEACHER.reset();
        TEACHER.answerWith(r -> ANSWERS.getOrDefault(lastUserText(r), "?"));
        try (RunningApp app = start(Map.of("learning.observe-rewordings", "false"))) {
            ask(app, ALICE, STORED);
            ask(app, ALICE, REWORDED);
            JsonObject status = JsonText.parse(app.send(HttpRequest.newBuilder(app.uri("/v1/training/status"))
                    .header("x-api-key", ALICE).build()).body());
            assertThat(status.containsKey("rewordings"), is(false));
            assertThat("learning itself goes on", status.getInt("memory_exchanges"), is(2));
            String log;
            app.app().flushLogs();
            try (var files = Files.list(dir.resolve("metrics"))) {
                log = Files.readString(files.findFirst().orElseThrow());
            }
            assertThat(log.contains("\"kind\":\"reword\""), is(false));
        }
    }

    @Test
    void forwardedRewordingsAreObservedPerTenantAndKept() throws Exception {
        TEACHER.reset();
        TEACHER.answerWith(r -> ANSWERS.getOrDefault(lastUserText(r), "?"));
        try (RunningApp app = start()) {
            // Every route stays what it was: other words are forwarded.
            for (String q : new String[] {STORED, REWORDED, QUALIFIED, NEAR_MISS}) {
                assertThat(q, ask(app, ALICE, q), is("forward"));
            }
            JsonObject r = rewordings(app, ALICE);
            assertThat(r.getInt("candidates"), is(3));
            assertThat("English / French: the guard refuses a named thing swapped", r.getInt("guard_refused"), is(1));
            assertThat(r.getJsonObject("refused_by_rule").getJsonObject("entities").getInt("n"), is(1));
            assertThat("the same advice in other words", r.getInt("agreed"), is(1));
            assertThat("a qualified question got another answer", r.getInt("disagreed"), is(1));
            long bucketed = r.getJsonArray("by_cosine").stream()
                    .mapToLong(b -> b.asJsonObject().getInt("n")).sum();
            assertThat(bucketed, is(2L));
            // The refused pair, with nothing serving could have taken, is evidence for the bands of both shapes.
            String tenant = JsonText.parse(app.send(HttpRequest.newBuilder(app.uri("/v1/training/status"))
                    .header("x-api-key", ALICE).build()).body()).getString("tenant");
            assertThat(app.app().learning().store().evidence().existing(tenant).rewordings().entrySet().stream()
                    .filter(e -> e.getKey().startsWith("kind:refused:"))
                    .mapToLong(e -> e.getValue().total()).sum(), is(1L));

            // Another tenant's stored prompts are never its candidates.
            assertThat(ask(app, BOB, REWORDED), is("forward"));
            assertThat(rewordings(app, BOB).getInt("candidates"), is(0));
            assertThat(rewordings(app, ALICE).getInt("candidates"), is(3));

            String log;
            app.app().flushLogs();
            try (var files = Files.list(dir.resolve("metrics"))) {
                log = Files.readString(files.findFirst().orElseThrow());
            }
            assertThat(log, containsString("\"kind\":\"reword\""));
            assertThat(log, containsString("\"guard\":\"entities\""));
            assertThat("scores only, never text", log.contains("English"), is(false));
        }
        try (RunningApp app = start()) {
            app.app().learning().drain();
            JsonObject r = rewordings(app, ALICE);
            assertThat("kept across a restart", r.getInt("candidates"), is(3));
            assertThat(r.getInt("agreed"), is(1));
            assertThat(r.getInt("disagreed"), is(1));
            assertThat(r.getInt("guard_refused"), is(1));
            assertThat("stored prompts are filed again at start", r.getInt("indexed_prompts"), is(5));
            // The index rebuilt at start finds candidates as before.
            TEACHER.answerWith(req -> "Speak every day.");
            assertThat(ask(app, ALICE, "How do I get better at speaking English?"), is("forward"));
            assertThat(rewordings(app, ALICE).getInt("candidates"), is(4));
        }
    }
}
