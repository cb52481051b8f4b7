package dev.shammah.metrics;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.JsonText;
import dev.shammah.testsupport.Requests;
import dev.shammah.testsupport.RunningApp;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/**
 * Two apps in one JVM (tests start several) keep their own figures: what each app reports of
 * itself comes from its own objects, and /metrics' gauges read the newest app, not whichever registered first.
 */
class TwoAppsMetricsTest {
    static final FakeAnthropic TEACHER = FakeAnthropic.start();
    private static final Map<String, String> LEARNING = Map.of("learning.enabled", "true", "learning.verify-rate", "0",
            "pricing.input-per-mtok", "3", "pricing.output-per-mtok", "15");

    @AfterAll
    static void stop() {
        TEACHER.close();
    }

    private static String ask(RunningApp app, String text) {
        HttpResponse<String> res = app.send(HttpRequest.newBuilder(app.uri("/v1/messages"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Requests.simple(text, null))).build());
        app.app().learning().drain();
        assertThat(res.body(), res.statusCode(), is(200));
        return res.headers().firstValue("x-shammah-route").orElse("");
    }

    private static JsonObject requests(RunningApp app) {
        return JsonText.parse(app.get("/v1/training/status").body()).getJsonObject("requests");
    }

    private static double gauge(RunningApp app, String series) {
        Matcher m = Pattern.compile("(?m)^" + series + "\\{[^}]*} ([0-9.eE+-]+)$").matcher(app.get("/metrics").body());
        assertThat(series + " is published", m.find(), is(true));
        return Double.parseDouble(m.group(1));
    }

    @Test
    void eachAppKeepsItsOwnSavingsAndTheGaugesReadTheNewest() {
        try (RunningApp first = RunningApp.start(TEACHER.baseUrl(), LEARNING, Clock.systemUTC())) {
            assertThat(ask(first, "What is the capital of France?"), is("forward"));
            assertThat(ask(first, "What is the capital of France?"), is("local"));
            double saved = requests(first).getJsonNumber("estimated_teacher_cost_saved_usd").doubleValue();
            assertThat("the first app's local answer saved something", saved, greaterThan(0.0));
            assertThat(gauge(first, "shammah_memory_exchanges"), is(1.0));
            assertThat("the memory's key filter is counted outside the heap",
                    gauge(first, "shammah_learned_offheap_bytes"), greaterThan(0.0));

            try (RunningApp second = RunningApp.start(TEACHER.baseUrl(), LEARNING, Clock.systemUTC())) {
                assertThat("the second app saved nothing yet",
                        requests(second).getJsonNumber("estimated_teacher_cost_saved_usd").doubleValue(), is(0.0));
                assertThat("its memory gauge reads its own, empty memory",
                        gauge(second, "shammah_memory_exchanges"), is(0.0));
                assertThat(gauge(second, "shammah_dollars_saved"), is(0.0));
                assertThat(ask(second, "Name a primary colour."), is("forward"));
                assertThat(gauge(second, "shammah_memory_exchanges"), is(1.0));
                assertThat(gauge(second, "shammah_local_share"), is(0.0));
                assertThat("the first app's own figures did not move",
                        requests(first).getJsonNumber("estimated_teacher_cost_saved_usd").doubleValue(),
                        closeTo(saved, 1e-12));
                assertThat(requests(first).getInt("local"), is(1));
                assertThat(requests(second).getInt("local"), is(0));
            }
        }
    }
}
