package dev.shammah.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import dev.shammah.App;
import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.JsonText;
import dev.shammah.testsupport.RunningApp;
import dev.shammah.testsupport.TestConfigs;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;

/** Every class of bad input gets Anthropic's error shape with the right 4xx, and nothing reaches upstream. */
@ServerTest
class ErrorShapeTest {
    static final FakeAnthropic UPSTREAM = FakeAnthropic.start();
    static App app;

    private final Http1Client client;

    ErrorShapeTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws IOException {
        Path data = Files.createTempDirectory("shammah-err");
        app = App.create(TestConfigs.forUpstream(UPSTREAM.baseUrl(), data,
                Map.of("server.max-body-bytes", "2048")), Clock.systemUTC());
        app.configureServer(server);
    }

    @AfterAll
    static void stop() {
        app.close();
        UPSTREAM.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            malformed JSON        | {"model": "m", "max_tokens": 5,                                                      | Request body is not valid JSON
            not an object         | [1, 2, 3]                                                                             | must be a JSON object
            empty body            | ``                                                                                    | Request body is empty
            missing model         | {"max_tokens": 5, "messages": [{"role":"user","content":"hi"}]}                       | model: Field required
            model not a string    | {"model": 7, "max_tokens": 5, "messages": [{"role":"user","content":"hi"}]}           | model: Input should be a valid string
            missing max_tokens    | {"model": "m", "messages": [{"role":"user","content":"hi"}]}                          | max_tokens: Field required
            max_tokens zero       | {"model": "m", "max_tokens": 0, "messages": [{"role":"user","content":"hi"}]}         | max_tokens: Input should be an integer from 1
            max_tokens a string   | {"model": "m", "max_tokens": "5", "messages": [{"role":"user","content":"hi"}]}       | max_tokens: Input should be a valid integer
            missing messages      | {"model": "m", "max_tokens": 5}                                                       | messages: Field required
            empty messages        | {"model": "m", "max_tokens": 5, "messages": []}                                       | at least one message
            messages not a list   | {"model": "m", "max_tokens": 5, "messages": "hi"}                                     | messages: Input should be a valid list
            bad role              | {"model": "m", "max_tokens": 5, "messages": [{"role":"tool","content":"hi"}]}         | messages.0.role
            content a number      | {"model": "m", "max_tokens": 5, "messages": [{"role":"user","content":5}]}            | messages.0.content
            block without type    | {"model": "m", "max_tokens": 5, "messages": [{"role":"user","content":[{"text":"x"}]}]} | messages.0.content.0
            stream not boolean    | {"model": "m", "max_tokens": 5, "stream": "yes", "messages": [{"role":"user","content":"hi"}]} | stream: Input should be a valid boolean
            temperature a string  | {"model": "m", "max_tokens": 5, "temperature": "hot", "messages": [{"role":"user","content":"hi"}]} | temperature
            session_id a number   | {"model": "m", "max_tokens": 5, "session_id": 12, "messages": [{"role":"user","content":"hi"}]} | session_id
            session_id bad chars  | {"model": "m", "max_tokens": 5, "session_id": "../etc", "messages": [{"role":"user","content":"hi"}]} | session_id
            """)
    void badInputIsA400InAnthropicShape(String name, String body, String message) {
        int before = UPSTREAM.received().size();
        try (Http1ClientResponse res = client.post("/v1/messages")
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .submit(body == null ? "" : body)) {
            assertThat(res.status().code(), is(400));
            assertError(res, "invalid_request_error", message);
        }
        assertThat("nothing forwarded", UPSTREAM.received().size(), is(before));
    }

    static final String VALID = "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    /** One JSON value per body: whatever follows it but whitespace is refused, and nothing goes upstream. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            stray text      | garbage            | Unexpected char
            a second object | {"model":"claude-opus-4-1"} | Expected EOF
            a control byte  | <U+0001>           | Unexpected char
            a number        | ' 5'               | Expected EOF
            """)
    void bytesAfterTheBodyAreA400(String name, String after, String message) {
        int before = UPSTREAM.received().size();
        try (Http1ClientResponse res = client.post("/v1/messages")
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .submit(VALID + after.replace("<U+0001>", "\u0001"))) {
            assertThat(res.status().code(), is(400));
            JsonObject body = JsonText.parse(res.as(String.class));
            assertThat(body.getJsonObject("error").getString("type"), is("invalid_request_error"));
            assertThat(body.getJsonObject("error").getString("message"), matchesPattern(".*(" + message + ").*"));
        }
        assertThat("nothing forwarded", UPSTREAM.received().size(), is(before));
    }

    @Test
    void whitespaceAfterTheBodyIsFine() {
        try (Http1ClientResponse res = client.post("/v1/messages")
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .submit(VALID + " \r\n\t \n")) {
            assertThat(res.status().code(), is(200));
        }
        try (Http1ClientResponse res = client.post("/v1/messages")
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .submit(" \n\t ")) {
            assertThat(res.status().code(), is(400));
            assertError(res, "invalid_request_error", "not valid JSON");
        }
    }

    @Test
    void invalidUtf8IsRejected() {
        byte[] bytes = "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"X\"}]}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int x = new String(bytes, java.nio.charset.StandardCharsets.UTF_8).indexOf('X');
        bytes[x] = (byte) 0xC3; // a lead byte with no continuation
        try (Http1ClientResponse res = client.post("/v1/messages")
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .submit(bytes)) {
            assertThat(res.status().code(), is(400));
            assertError(res, "invalid_request_error", "not valid UTF-8");
        }
    }

    @Test
    void aBodyOverTheLimitIs413() {
        String big = "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\""
                + "x".repeat(5000) + "\"}]}";
        try (Http1ClientResponse res = client.post("/v1/messages")
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .submit(big)) {
            assertThat(res.status().code(), is(413));
            assertError(res, "request_too_large", "server.max-body-bytes");
        }
    }

    @Test
    void unknownRoutesAre404InAnthropicShape() {
        try (Http1ClientResponse res = client.get("/v1/nothing-here").request()) {
            assertThat(res.status().code(), is(404));
            assertError(res, "not_found_error", "No route for GET /v1/nothing-here");
        }
    }

    @Test
    void anUnreachableUpstreamIs529() throws IOException {
        java.net.URI dead;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            dead = java.net.URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
        try (RunningApp shammah = RunningApp.start(dead, Map.of(), Clock.systemUTC())) {
            var res = shammah.post("/v1/messages", MessagesForwardingTest.simple("hi", null));
            assertThat(res.statusCode(), is(529));
            JsonObject body = JsonText.parse(res.body());
            assertThat(body.getJsonObject("error").getString("type"), is("overloaded_error"));
            assertThat(body.getJsonObject("error").getString("message"), containsString("unreachable"));
        }
    }

    /** A host that does not resolve (".invalid" never does) is unreachable like a refused connection, not a 500. */
    @Test
    void anUnresolvableUpstreamHostIs529NamingIt() {
        java.net.URI nowhere = java.net.URI.create("http://shammah-upstream-typo.invalid:8443");
        try (RunningApp shammah = RunningApp.start(nowhere, Map.of(), Clock.systemUTC())) {
            for (boolean stream : new boolean[] {false, true}) {
                String body = MessagesForwardingTest.simple("hi", null);
                if (stream) {
                    body = body.replaceFirst("\\{", "{\"stream\":true,");
                }
                var res = shammah.post("/v1/messages", body);
                assertThat(res.body(), res.statusCode(), is(529));
                JsonObject error = JsonText.parse(res.body()).getJsonObject("error");
                assertThat(error.getString("type"), is("overloaded_error"));
                assertThat(error.getString("message"), containsString("shammah-upstream-typo.invalid"));
                assertThat(error.getString("message"), containsString("unreachable"));
            }
        }
    }

    @Test
    void aSlowUpstreamIs504() {
        try (RunningApp shammah = RunningApp.start(UPSTREAM.baseUrl(), Map.of("upstream.timeout", "300ms"),
                Clock.systemUTC())) {
            UPSTREAM.delay(java.time.Duration.ofMillis(1500));
            var res = shammah.post("/v1/messages", MessagesForwardingTest.simple("hi", null));
            assertThat(res.statusCode(), is(504));
            JsonObject body = JsonText.parse(res.body());
            assertThat(body.getJsonObject("error").getString("type"), is("api_error"));
            assertThat(body.getJsonObject("error").getString("message"), containsString("did not answer within"));
        } finally {
            UPSTREAM.delay(java.time.Duration.ZERO);
        }
    }

    @Test
    void withoutAnUpstreamKeyTheAnswerIs503AndSaysHowToConfigureOne() {
        try (RunningApp shammah = RunningApp.start(UPSTREAM.baseUrl(), Map.of("upstream.api-key", ""),
                Clock.systemUTC())) {
            var res = shammah.post("/v1/messages", MessagesForwardingTest.simple("hi", null));
            assertThat(res.statusCode(), is(503));
            JsonObject body = JsonText.parse(res.body());
            assertThat(body.getJsonObject("error").getString("type"), is("api_error"));
            assertThat(body.getJsonObject("error").getString("message"), containsString("ANTHROPIC_API_KEY"));
            assertThat(shammah.app().sessions().size(), is(0));
        }
    }

    static void assertError(Http1ClientResponse res, String type, String messagePart) {
        String requestId = res.headers().first(HeaderNames.create("request-id")).orElse("");
        assertThat(requestId, matchesPattern("req_[0-9A-Za-z]{24}"));
        assertThat(res.headers().first(HeaderNames.CONTENT_TYPE).orElse(""), containsString("application/json"));
        JsonObject body = JsonText.parse(res.as(String.class));
        assertThat(body.getString("type"), is("error"));
        assertThat(body.getJsonObject("error").getString("type"), is(type));
        assertThat(body.getJsonObject("error").getString("message"), containsString(messagePart));
        assertThat(body.getString("request_id"), is(requestId));
    }
}
