package dev.shammah.api;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.shammah.engine.PromptText;
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
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** /health, /metrics and the JSONL request log reflect what really happened. */
class ObservabilityTest {
    static final FakeAnthropic UPSTREAM = FakeAnthropic.start();

    @AfterAll
    static void stop() {
        UPSTREAM.close();
    }

    @Test
    void healthReportsRealUptimeSessionsAndUpstreamReachability() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (RunningApp shammah = RunningApp.start(UPSTREAM.baseUrl(), Map.of(), clock)) {
            JsonObject before = JsonText.parse(shammah.get("/health").body());
            assertThat(before.getString("status"), is("healthy"));
            assertThat(before.getInt("uptime_seconds"), is(0));
            assertThat(before.getInt("active_sessions"), is(0));
            assertThat(before.getJsonObject("checks").getJsonObject("upstream").getString("status"), is("UP"));

            shammah.post("/v1/messages", MessagesForwardingTest.simple("one", null));
            shammah.post("/v1/messages", MessagesForwardingTest.simple("two", null));
            clock.advance(Duration.ofSeconds(42));

            HttpResponse<String> after = shammah.get("/health");
            assertThat(after.statusCode(), is(200));
            JsonObject body = JsonText.parse(after.body());
            assertThat(body.getInt("uptime_seconds"), is(42));
            assertThat(body.getInt("active_sessions"), is(2));
            // Helidon's own endpoints serve the same checks for orchestrators.
            assertThat(shammah.get("/health/checks/live").statusCode(), is(200));
            assertThat(shammah.get("/health/checks/ready").statusCode(), is(200));
        }
    }

    @Test
    void aDeadUpstreamMakesUsUnreadyButStillLive() throws Exception {
        java.net.URI dead;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            dead = java.net.URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
        try (RunningApp shammah = RunningApp.start(dead, Map.of(), java.time.Clock.systemUTC())) {
            HttpResponse<String> health = shammah.get("/health");
            assertThat(health.statusCode(), is(200));
            JsonObject body = JsonText.parse(health.body());
            assertThat(body.getString("status"), is("healthy"));
            assertThat(body.getJsonObject("checks").getJsonObject("upstream").getString("status"), is("DOWN"));
            assertThat(shammah.get("/health/checks/live").statusCode(), is(200));
            assertThat(shammah.get("/health/checks/ready").statusCode(), is(503));
        }
    }

    @Test
    void metricsCountersMoveAfterRequests() {
        try (RunningApp shammah = RunningApp.start(UPSTREAM.baseUrl(), Map.of(), java.time.Clock.systemUTC())) {
            String before = shammah.get("/metrics").body();
            double ok = value(before, "shammah_requests_total", "route=\"/v1/messages\"", "status=\"200\"");
            double bad = value(before, "shammah_requests_total", "route=\"/v1/messages\"", "status=\"400\"");
            double created = value(before, "shammah_sessions_created_total");
            double upstreamCount = value(before, "shammah_upstream_latency_seconds_count", "status=\"200\"");

            shammah.post("/v1/messages", MessagesForwardingTest.simple("one", null));
            shammah.post("/v1/messages", MessagesForwardingTest.simple("two", null));
            shammah.post("/v1/messages", "{oops");

            HttpResponse<String> res = shammah.get("/metrics");
            assertThat(res.statusCode(), is(200));
            String after = res.body();
            assertThat(value(after, "shammah_requests_total", "route=\"/v1/messages\"", "status=\"200\""), is(ok + 2));
            assertThat(value(after, "shammah_requests_total", "route=\"/v1/messages\"", "status=\"400\""), is(bad + 1));
            assertThat(value(after, "shammah_sessions_created_total"), is(created + 2));
            assertThat(value(after, "shammah_upstream_latency_seconds_count", "status=\"200\""), is(upstreamCount + 2));
            assertThat(value(after, "shammah_sessions_active"), is(2.0));
            assertThat(after, containsString("shammah_request_latency_seconds_bucket{"));
        }
    }

    @Test
    void theRequestLogHasOneLinePerCallWithAHashAndNoPromptText() throws Exception {
        try (RunningApp shammah = RunningApp.start(UPSTREAM.baseUrl(), Map.of(), java.time.Clock.systemUTC())) {
            String secret = "my secret diagnosis is 1234";
            shammah.post("/v1/messages", MessagesForwardingTest.simple(secret, null));
            UPSTREAM.failNext(500, "api_error", "boom", Map.of());
            shammah.post("/v1/messages", MessagesForwardingTest.simple("second", null));
            shammah.post("/v1/messages", "{\"model\": \"m\", \"messages\": \"secret text\"}");

            shammah.app().flushLogs();
            Path dir = shammah.dataDir().resolve("metrics");
            List<Path> files;
            try (var s = Files.list(dir)) {
                files = s.toList();
            }
            assertThat(files, hasSize(1));
            assertThat(files.get(0).getFileName().toString(), org.hamcrest.Matchers.matchesPattern("\\d{4}-\\d{2}-\\d{2}\\.jsonl"));
            String text = Files.readString(files.get(0));
            assertThat(text, not(containsString("secret")));
            List<String> lines = text.lines().toList();
            assertThat(lines, hasSize(3));
            JsonObject first = JsonText.parse(lines.get(0));
            assertThat(first.getString("prompt_sha256"), is(dev.shammah.text.Sha256.hex(secret)));
            assertThat(first.getString("route"), is("forward"));
            assertThat(first.getInt("status"), is(200));
            assertThat(first.getString("session_id"), org.hamcrest.Matchers.startsWith("sess_"));
            assertThat(first.getInt("input_tokens"), greaterThan(0));
            assertThat(first.getInt("output_tokens"), greaterThan(0));
            assertThat(first.getInt("upstream_ms") >= 0, is(true));
            assertThat(first.getInt("latency_ms") >= first.getInt("upstream_ms"), is(true));
            JsonObject second = JsonText.parse(lines.get(1));
            assertThat(second.getInt("status"), is(500));
            assertThat(second.isNull("input_tokens"), is(true));
            JsonObject third = JsonText.parse(lines.get(2));
            assertThat(third.getString("route"), is("rejected"));
            assertThat(third.getInt("status"), is(400));
            assertThat(third.getString("error"), is("max_tokens: Field required"));
        }
    }

    /** The value of the first Prometheus sample with this name whose labels contain every fragment; 0 if none. */
    static double value(String metrics, String name, String... labelParts) {
        Pattern p = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})?\\s+([0-9.eE+-]+)$", Pattern.MULTILINE);
        Matcher m = p.matcher(metrics);
        while (m.find()) {
            String labels = m.group(1) == null ? "" : m.group(1);
            boolean all = true;
            for (String part : labelParts) {
                all &= labels.contains(part);
            }
            if (all) {
                return Double.parseDouble(m.group(2));
            }
        }
        return 0;
    }
}
