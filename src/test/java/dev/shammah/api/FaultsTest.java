package dev.shammah.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.JsonText;
import dev.shammah.testsupport.Requests;
import dev.shammah.testsupport.RunningApp;
import dev.shammah.testsupport.SseClient;
import dev.shammah.testsupport.StreamGrammar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/** The circuit breaker, the overhead header, draining on stop, and HTTPS. */
class FaultsTest {
    static final FakeAnthropic UPSTREAM = FakeAnthropic.start();

    @TempDir
    Path dir;

    @AfterAll
    static void stop() {
        UPSTREAM.close();
    }

    @BeforeEach
    void reset() {
        UPSTREAM.reset();
    }

    @Test
    void aFailingUpstreamOpensTheBreakerAndCallsFailFastWithRetryAfter() {
        try (RunningApp app = RunningApp.start(UPSTREAM.baseUrl(), Map.of("upstream.max-retries", "0",
                "upstream.circuit-breaker.volume", "4", "upstream.circuit-breaker.error-ratio", "50",
                "upstream.circuit-breaker.delay", "30s"), Clock.systemUTC())) {
            for (int i = 0; i < 4; i++) {
                UPSTREAM.failNext(503, "api_error", "down", Map.of());
                assertThat(app.post("/v1/messages", Requests.simple("x", null)).statusCode(), is(503));
            }
            int asked = UPSTREAM.received("/v1/messages").size();
            HttpResponse<String> fast = app.post("/v1/messages", Requests.simple("x", null));
            assertThat(fast.statusCode(), is(529));
            assertThat(JsonText.parse(fast.body()).getJsonObject("error").getString("message"),
                    containsString("upstream.circuit-breaker"));
            assertThat(fast.headers().firstValue("retry-after").orElse(""), is("30"));
            assertThat("the open breaker did not call the upstream", UPSTREAM.received("/v1/messages").size(), is(asked));
        }
    }

    @Test
    void forwardedAnswersSayHowMuchTimeShammahAdded() {
        try (RunningApp app = RunningApp.start(UPSTREAM.baseUrl(), Map.of("learning.enabled", "true",
                "learning.verify-rate", "0"), Clock.systemUTC())) {
            UPSTREAM.delay(Duration.ofMillis(200));
            HttpResponse<String> res = app.post("/v1/messages", Requests.simple("x", null));
            double added = Double.parseDouble(res.headers().firstValue("x-shammah-overhead-ms").orElseThrow());
            assertThat("the 200 ms upstream wait is not counted", added, lessThan(150.0));
            assertThat(app.get("/metrics").body(), containsString("shammah_added_latency_seconds_bucket"));
            // A stream says what Shammah spent before its first byte, the upstream's wait for its headers excluded.
            HttpResponse<String> streamed = app.post("/v1/messages", "{\"model\":\"m\",\"max_tokens\":20,"
                    + "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"y\"}]}");
            assertThat(streamed.headers().firstValue("content-type").orElse(""), containsString("event-stream"));
            double streamAdded = Double.parseDouble(streamed.headers().firstValue("x-shammah-overhead-ms")
                    .orElseThrow());
            assertThat(streamAdded, lessThan(150.0));
            // Local answers never called the upstream: no overhead to report.
            app.app().learning().drain();
            HttpResponse<String> local = app.post("/v1/messages", Requests.simple("x", null));
            assertThat(local.headers().firstValue("x-shammah-route").orElse(""), is("local"));
            assertThat(local.headers().firstValue("x-shammah-overhead-ms").isPresent(), is(false));
        }
    }

    @Test
    void stoppingTheServerLetsAnOpenStreamFinish() throws Exception {
        RunningApp app = RunningApp.start(UPSTREAM.baseUrl(), Map.of("server.drain-timeout", "10s"), Clock.systemUTC());
        CompletableFuture<SseClient.Result> stream = slowStream(app);
        Thread.sleep(100);
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(app::close);
        // While draining, a new API request is turned away; the open stream runs on.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        HttpResponse<String> refused;
        do {
            refused = app.post("/v1/messages", Requests.simple("late", null));
        } while (refused.statusCode() == 200 && System.nanoTime() < deadline);
        assertThat(refused.statusCode(), is(503));
        assertThat(JsonText.parse(refused.body()).getJsonObject("error").getString("message"),
                containsString("shutting down"));
        // Readiness says so from the first moment, so a load balancer stops sending.
        assertThat(app.get("/health/checks/ready").statusCode(), is(503));
        HttpResponse<String> health = app.get("/health");
        assertThat(health.statusCode(), is(503));
        assertThat(JsonText.parse(health.body()).getString("status"), is("draining"));
        SseClient.Result r = stream.get();
        stopping.get();
        StreamGrammar.check(r.events());
        assertThat(r.events().get(r.events().size() - 1).event(), is("message_stop"));
    }

    /**
     * An open stream is a request in flight until its last event (learning gives way only while there are as many as
     * cores): /metrics counts it, and its own scrape.
     */
    @Test
    void anOpenStreamIsARequestInFlightUntilItEnds() throws Exception {
        try (RunningApp app = RunningApp.start(UPSTREAM.baseUrl(), Map.of(), Clock.systemUTC())) {
            CompletableFuture<SseClient.Result> stream = slowStream(app);
            assertThat("the stream and the scrape", inFlight(app), is(2.0));
            stream.get();
            assertThat("the scrape alone", inFlightOnceSettled(app, 1.0), is(1.0));
        } finally {
            UPSTREAM.eventDelay(Duration.ZERO);
        }
    }

    /** A stream whose events come 40 ms apart, once the upstream has been asked for it. */
    private static CompletableFuture<SseClient.Result> slowStream(RunningApp app) throws InterruptedException {
        UPSTREAM.eventDelay(Duration.ofMillis(40));
        String body = "{\"model\":\"m\",\"max_tokens\":100,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\""
                + "a b c d e f g h i j k l m n o p\"}]}";
        CompletableFuture<SseClient.Result> stream = CompletableFuture.supplyAsync(() ->
                SseClient.post(app.uri("/v1/messages"), body, e -> { }));
        while (UPSTREAM.received("/v1/messages").isEmpty()) {
            Thread.sleep(10);
        }
        return stream;
    }

    /**
     * The gauge once it reads {@code expected}, or what it reads after two seconds: the client has a stream's last
     * event a moment before the server's handler returns and counts it out.
     */
    private static double inFlightOnceSettled(RunningApp app, double expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        double now = inFlight(app);
        while (now != expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
            now = inFlight(app);
        }
        return now;
    }

    private static double inFlight(RunningApp app) {
        return app.get("/metrics").body().lines().filter(l -> l.startsWith("shammah_requests_in_flight"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow();
    }

    @Test
    void servesHttpsWithAConfiguredKeystore() throws Exception {
        Path keystore = dir.resolve("test.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "shammah", "-keyalg", "RSA", "-keysize", "2048",
                "-validity", "2", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit")
                .redirectErrorStream(true).start();
        assertThat(new String(p.getInputStream().readAllBytes()), p.waitFor(), is(0));
        try (RunningApp app = RunningApp.start(UPSTREAM.baseUrl(), Map.of("server.tls.enabled", "true",
                "server.tls.keystore", keystore.toString(), "server.tls.keystore-passphrase", "changeit"),
                Clock.systemUTC())) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (var in = java.nio.file.Files.newInputStream(keystore)) {
                trust.load(in, "changeit".toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient https = HttpClient.newBuilder().sslContext(ssl).build();
            URI health = URI.create(app.uri("/health").toString().replace("http://", "https://"));
            HttpResponse<String> res = https.send(HttpRequest.newBuilder(health).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(res.statusCode(), is(200));
            assertThat(JsonText.parse(res.body()).getString("status"), is("healthy"));
        }
    }
}
