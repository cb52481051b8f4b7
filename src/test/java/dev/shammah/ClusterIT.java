package dev.shammah;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.JsonText;
import dev.shammah.testsupport.Requests;
import dev.shammah.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Two daemons from the packaged jar, as a user runs them, sharing one PostgreSQL (after {@code package}, by
 * failsafe): what one learns the other serves, a conversation started on one continues on the other, each reports
 * the store in /health, and both stop cleanly on SIGTERM.
 */
class ClusterIT {
    static final FakeAnthropic TEACHER = FakeAnthropic.start();
    final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @AfterAll
    static void stop() {
        TEACHER.close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Process daemon(String url, int port, String name) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name));
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-jar", Path.of("target/shammah.jar").toAbsolutePath().toString(),
                "daemon", "--bind", "127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(home.resolve("daemon.log").toFile());
        logs.put(port, home.resolve("daemon.log"));
        Map<String, String> env = pb.environment();
        env.put("HOME", home.toString());
        env.put("ANTHROPIC_API_KEY", FakeAnthropic.API_KEY);
        env.put("SHAMMAH_UPSTREAM_BASE_URL", TEACHER.baseUrl().toString());
        env.put("SHAMMAH_STORE_KIND", "postgres");
        env.put("SHAMMAH_STORE_URL", url);
        env.put("SHAMMAH_STORE_USER", "postgres");
        env.put("SHAMMAH_LEARNING_VERIFY_RATE", "0");
        return pb.start();
    }

    private HttpResponse<String> post(int port, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/messages"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void awaitListening(int port, Process p) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline && p.isAlive()) {
            try {
                if (get(port, "/health").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("daemon on " + port + " did not start" + (p.isAlive() ? "" : " (exit "
                + p.exitValue() + ")") + "; its log:\n" + logOf(port));
    }

    /** Where each daemon's output went, by port: a failure to start says why. */
    private final Map<Integer, Path> logs = new java.util.concurrent.ConcurrentHashMap<>();

    private String logOf(int port) {
        try {
            Path log = logs.get(port);
            return log == null ? "(none)" : Files.readString(log);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Test
    void twoDaemonsFromTheJarBehaveAsOne() throws Exception {
        String url = TestPostgres.shared().newDatabase();
        int a = freePort();
        int b = freePort();
        List<Process> daemons = new ArrayList<>();
        try {
            daemons.add(daemon(url, a, "a"));
            daemons.add(daemon(url, b, "b"));
            awaitListening(a, daemons.get(0));
            awaitListening(b, daemons.get(1));

            TEACHER.answerWith(r -> "Paris.");
            HttpResponse<String> learned = post(a, Requests.simple("What is the capital of France?", null));
            assertThat(learned.headers().firstValue("x-shammah-route").orElse(""), is("forward"));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            String route;
            do {
                Thread.sleep(50);
                route = get(b, "/v1/training/status").body().contains("\"memory_exchanges\":1") ? "ready" : "";
            } while (route.isEmpty() && System.nanoTime() < deadline);
            HttpResponse<String> served = post(b, Requests.simple("What is the capital of France?", null));
            assertThat(served.body(), served.headers().firstValue("x-shammah-route").orElse(""), is("local"));
            assertThat(served.body(), containsString("Paris."));

            TEACHER.answerWith(r -> r.getJsonArray("messages").size() + " messages");
            post(a, Requests.simple("My name is Ada.", "it-conversation"));
            HttpResponse<String> next = post(b, Requests.simple("What is my name?", "it-conversation"));
            assertThat(JsonText.parse(next.body()).getJsonArray("content").getJsonObject(0).getString("text"),
                    is("3 messages"));

            String health;
            deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            do {
                // Instances count each other at their heartbeats, every two seconds.
                health = get(b, "/health").body();
            } while (!health.contains("\"instances\":\"2\"") && System.nanoTime() < deadline);
            assertThat(health, containsString("\"store\":{\"type\":\"readiness\",\"status\":\"UP\""));
            assertThat(health, containsString("\"instances\":\"2\""));
        } finally {
            for (Process p : daemons) {
                p.destroy();
            }
            for (Process p : daemons) {
                p.waitFor(60, TimeUnit.SECONDS);
            }
        }
        // After the try, not in its finally: a failure above must not be replaced by this one.
        for (Process p : daemons) {
            assertThat("a clean stop on SIGTERM", !p.isAlive() && p.exitValue() == 0, is(true));
        }
    }
}
