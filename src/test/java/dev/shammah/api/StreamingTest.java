package dev.shammah.api;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.JsonText;
import dev.shammah.testsupport.RunningApp;
import dev.shammah.testsupport.SseClient;
import dev.shammah.testsupport.StreamGrammar;
import dev.shammah.upstream.MessageAssembler;
import dev.shammah.upstream.SseEvent;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/** {@code "stream": true}: relayed event by event, assembled into the session, cancelled with the client. */
class StreamingTest {
    static final FakeAnthropic UPSTREAM = FakeAnthropic.start();
    static RunningApp shammah;

    @BeforeAll
    static void start() {
        shammah = RunningApp.start(UPSTREAM.baseUrl(), Map.of(), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        shammah.close();
        UPSTREAM.close();
    }

    @BeforeEach
    void reset() {
        UPSTREAM.reset();
    }

    static String streaming(String text, String sessionId) {
        var b = Json.createObjectBuilder().add("model", "claude-test").add("max_tokens", 100).add("stream", true)
                .add("messages", Json.createArrayBuilder().add(Json.createObjectBuilder().add("role", "user")
                        .add("content", text)));
        if (sessionId != null) {
            b.add("session_id", sessionId);
        }
        return b.build().toString();
    }

    private static SseClient.Result stream(String body) {
        return SseClient.post(shammah.uri("/v1/messages"), body, e -> { });
    }

    @Test
    void relaysEveryEventInOrderAndKeepsTheAnsweredTurn() {
        SseClient.Result r = stream(streaming("tell me a story", null));
        assertThat(r.status(), is(200));
        assertThat(r.contentType(), startsWith("text/event-stream"));
        StreamGrammar.check(r.events());
        // Exactly what the upstream sent, event for event.
        MessageAssembler assembler = new MessageAssembler();
        r.events().forEach(assembler::accept);
        JsonObject sent = assembler.message();
        List<String[]> expected = FakeAnthropic.events(sent);
        assertThat(r.events().size(), is(expected.size()));
        for (int i = 0; i < expected.size(); i++) {
            assertThat(r.events().get(i).event(), is(expected.get(i)[0]));
            assertThat(JsonText.parse(r.events().get(i).data()), is(JsonText.parse(expected.get(i)[1])));
        }
        assertThat(sent.getJsonArray("content").getJsonObject(0).getString("text"), is("echo: tell me a story"));
    }

    @Test
    void aStreamedTurnIsKeptInItsSession() {
        stream(streaming("remember: blue", "sess_stream_1"));
        JsonObject meta = JsonText.parse(shammah.get("/v1/session/sess_stream_1").body());
        assertThat(meta.getInt("message_count"), is(2));
        assertThat(meta.getJsonObject("usage").getInt("output_tokens") > 0, is(true));
        stream(streaming("what colour?", "sess_stream_1"));
        JsonArray sentUp = UPSTREAM.last().body().getJsonArray("messages");
        assertThat(sentUp, hasSize(3));
        assertThat(sentUp.getJsonObject(1).getJsonArray("content").getJsonObject(0).getString("text"),
                is("echo: remember: blue"));
    }

    @Test
    void theSessionGetsTheAssembledAnswerIncludingToolCalls() {
        UPSTREAM.callToolNext("Let me look.", "toolu_01A", "get_weather",
                Json.createObjectBuilder().add("location", "Paris").add("days", 3).build());
        SseClient.Result first = stream(streaming("weather in Paris?", "sess_tools_1"));
        StreamGrammar.check(first.events());
        assertThat(first.events().stream().filter(e -> e.event().equals("message_delta")).findFirst().orElseThrow()
                .data(), containsString("\"stop_reason\":\"tool_use\""));

        // The tool loop's next turn: only the tool_result, with the session id.
        String toolResult = """
                {"model":"claude-test","max_tokens":100,"stream":true,"session_id":"sess_tools_1","messages":[
                  {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01A","content":"18°C, sunny"}]}]}""";
        SseClient.Result second = stream(toolResult);
        StreamGrammar.check(second.events());
        JsonArray sentUp = UPSTREAM.last().body().getJsonArray("messages");
        assertThat(sentUp, hasSize(3));
        JsonObject assistant = sentUp.getJsonObject(1);
        assertThat(assistant.getString("role"), is("assistant"));
        JsonObject toolUse = assistant.getJsonArray("content").getJsonObject(1);
        assertThat(toolUse.getString("type"), is("tool_use"));
        assertThat(toolUse.getString("id"), is("toolu_01A"));
        // input rebuilt from the input_json_delta fragments: an object, not "{}" or a string.
        assertThat(toolUse.getJsonObject("input"), is(Json.createObjectBuilder().add("location", "Paris")
                .add("days", 3).build()));
        JsonObject meta = JsonText.parse(shammah.get("/v1/session/sess_tools_1").body());
        assertThat(meta.getInt("message_count"), is(4));
    }

    @Test
    void theFirstEventArrivesBeforeTheUpstreamHasFinished() {
        UPSTREAM.eventDelay(Duration.ofMillis(150));
        AtomicInteger finishedAtFirstEvent = new AtomicInteger(-1);
        SseClient.Result r = SseClient.post(shammah.uri("/v1/messages"),
                streaming("one two three four five six seven eight", null), e -> {
                    if (finishedAtFirstEvent.get() < 0) {
                        finishedAtFirstEvent.set(UPSTREAM.finishedStreams());
                    }
                });
        assertThat("no buffering: the upstream was still streaming when the first event arrived",
                finishedAtFirstEvent.get(), is(0));
        assertThat(UPSTREAM.finishedStreams(), is(1));
        StreamGrammar.check(r.events());
    }

    @Test
    void anUpstreamErrorMidStreamReachesTheClientAsAnErrorEvent() {
        UPSTREAM.failMidStream(4, "overloaded_error", "Overloaded");
        SseClient.Result r = stream(streaming("hello there", "sess_midfail"));
        StreamGrammar.check(r.events());
        SseEvent last = r.events().get(r.events().size() - 1);
        assertThat(last.event(), is("error"));
        assertThat(JsonText.parse(last.data()).getJsonObject("error").getString("type"), is("overloaded_error"));
        // A broken turn is not stored: a session whose first turn broke does not exist.
        assertThat(shammah.get("/v1/session/sess_midfail").statusCode(), is(404));
    }

    @Test
    void aCutUpstreamConnectionBecomesAnErrorEvent() {
        UPSTREAM.cutMidStream(3);
        SseClient.Result r = stream(streaming("hello there", null));
        SseEvent last = r.events().get(r.events().size() - 1);
        assertThat(last.event(), is("error"));
        assertThat(JsonText.parse(last.data()).getJsonObject("error").getString("message"),
                startsWith("Upstream stream broke off"));
        StreamGrammar.check(r.events());
    }

    @Test
    void aRefusalBeforeStreamingIsPlainJson() {
        UPSTREAM.failNext(400, "invalid_request_error", "max_tokens: too large", Map.of());
        SseClient.Result r = stream(streaming("hi", null));
        assertThat(r.status(), is(400));
        assertThat(r.contentType(), startsWith("application/json"));
        assertThat(JsonText.parse(r.body()).getJsonObject("error").getString("message"), is("max_tokens: too large"));
    }

    @Test
    void aTransientFailureBeforeTheFirstByteIsRetried() {
        UPSTREAM.failNext(503, "api_error", "upstream connect error", Map.of());
        SseClient.Result r = stream(streaming("hi", null));
        assertThat(r.status(), is(200));
        StreamGrammar.check(r.events());
        assertThat(UPSTREAM.received("/v1/messages"), hasSize(2));
    }

    @Test
    void theEngineStreamsWhenAskedToEvenIfTheBodyDidNotSaySo() {
        java.util.List<SseEvent> events = new java.util.ArrayList<>();
        var reply = shammah.app().engine().stream(new dev.shammah.engine.Turn(dev.shammah.engine.MessagesRequest.parse(
                JsonText.parse(dev.shammah.testsupport.Requests.simple("no stream flag", "sess_engine_stream"))),
                dev.shammah.upstream.ForwardedHeaders.NONE, "req_test"), new dev.shammah.engine.EventSink() {
                    @Override
                    public void open(Head head) {
                    }

                    @Override
                    public void send(SseEvent event) {
                        events.add(event);
                    }
                });
        assertThat(reply.status(), is(200));
        StreamGrammar.check(events);
        assertThat(UPSTREAM.last().body().getBoolean("stream"), is(true));
        assertThat(JsonText.parse(shammah.get("/v1/session/sess_engine_stream").body()).getInt("message_count"), is(2));
    }

    @Test
    void theQueryStringReachesTheUpstream() {
        SseClient.Result r = SseClient.post(shammah.uri("/v1/messages?beta=true"), streaming("hi", null), e -> { });
        assertThat(r.status(), is(200));
        assertThat(UPSTREAM.last().query(), is("beta=true"));
    }

    @Test
    void aClientThatDisconnectsCancelsTheUpstreamCall() throws Exception {
        UPSTREAM.eventDelay(Duration.ofMillis(50));
        String body = streaming("word ".repeat(200), null);
        try (Socket socket = new Socket("127.0.0.1", shammah.uri("/").getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder seen = new StringBuilder();
            while (!seen.toString().contains("event: message_start")) {
                int c = in.read();
                if (c < 0) {
                    throw new AssertionError("stream ended early: " + seen);
                }
                seen.append((char) c);
            }
        }
        // The upstream notices (its writes fail) long before its ~10 s of events would have ended.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (UPSTREAM.cancelledStreams() == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("upstream stream was never cancelled");
            }
            Thread.sleep(20);
        }
        assertThat(UPSTREAM.finishedStreams(), is(0));
        awaitLogStatus(499);
    }

    private static void awaitLogStatus(int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            shammah.app().flushLogs();
            Path dir = shammah.dataDir().resolve("metrics");
            if (Files.isDirectory(dir)) {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        if (Files.readString(f).contains("\"status\":" + status)) {
                            return;
                        }
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no request-log line with status " + status);
            }
            Thread.sleep(20);
        }
    }
}
