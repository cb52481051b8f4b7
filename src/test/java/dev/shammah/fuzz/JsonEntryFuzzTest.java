package dev.shammah.fuzz;

import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.JsonText;
import dev.shammah.testsupport.RunningApp;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * Hostile and malformed bodies against every JSON entry point: whatever arrives, the answer is never a 5xx,
 * always an Anthropic-shaped JSON object, and no platform threads pile up.
 */
class JsonEntryFuzzTest {
    static final String VALID = "{\"model\":\"m\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":"
            + "[{\"type\":\"text\",\"text\":\"hi\"}]}],\"system\":\"s\",\"stream\":false,\"temperature\":0.5}";
    static final List<String> PATHS = List.of("/v1/messages", "/v1/messages/count_tokens", "/admin/rollback");

    static FakeAnthropic upstream;
    static RunningApp app;
    static HttpClient http;
    static int threadsBefore;

    @BeforeContainer
    static void start() {
        upstream = FakeAnthropic.start();
        app = RunningApp.start(upstream.baseUrl(), Map.of("server.max-body-bytes", "65536"), Clock.systemUTC());
        http = HttpClient.newHttpClient();
        threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
    }

    @AfterContainer
    static void stop() {
        int after = ManagementFactory.getThreadMXBean().getThreadCount();
        app.close();
        upstream.close();
        assertThat("platform threads leaked", after - threadsBefore, lessThan(20));
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        Arbitrary<String> mutated = Combinators.combine(Arbitraries.integers().between(0, VALID.length() - 1),
                Arbitraries.integers().between(0, 8), Arbitraries.strings().ofMaxLength(6))
                .as((at, cut, insert) -> VALID.substring(0, at) + insert + VALID.substring(Math.min(VALID.length(), at + cut)));
        Arbitrary<String> swapped = Combinators.combine(
                Arbitraries.of("model", "max_tokens", "messages", "role", "content", "type", "text", "stream",
                        "system", "temperature"),
                Arbitraries.of("null", "true", "-1", "1e309", "[]", "{}", "\"\"", "\"x\"", "[[[[[]]]]]",
                        "99999999999999999999", "[{\"type\":1}]", "{\"$ref\":\"#\"}"))
                .as((field, value) -> VALID.replaceFirst("\"" + field + "\":(\"[^\"]*\"|[^,}\\]]*)",
                        java.util.regex.Matcher.quoteReplacement("\"" + field + "\":" + value)));
        Arbitrary<String> deep = Arbitraries.integers().between(1, 3000).map(n -> "[".repeat(n) + "]".repeat(n));
        Arbitrary<String> text = Arbitraries.strings().all().ofMaxLength(300);
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        return Arbitraries.oneOf(mutated.map(String::getBytes), swapped.map(String::getBytes),
                deep.map(String::getBytes), text.map(s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8)), raw);
    }

    @Property(tries = 400)
    void noBodyEverCausesA5xx(@ForAll("bodies") byte[] body, @ForAll("paths") String path) throws Exception {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(app.uri(path))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode() + ": " + res.body(), res.statusCode() < 500, is(true));
        if (res.statusCode() >= 400) {
            // Errors are always Anthropic-shaped JSON (successes may be SSE when the body asked to stream).
            var json = JsonText.parse(res.body());
            assertThat(res.body(), json.getString("type"), is("error"));
            assertThat(res.body(), json.getJsonObject("error").containsKey("message"), is(true));
        }
    }

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.of(PATHS);
    }
}
