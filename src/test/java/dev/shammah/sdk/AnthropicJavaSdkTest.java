package dev.shammah.sdk;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.anthropic.models.models.ModelInfo;
import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.RunningApp;
import jakarta.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Anthropic's own Java SDK (3.x, which authenticates with {@code Authorization: Bearer}) driving a real
 * Shammah server, with the fake upstream behind it.
 */
class AnthropicJavaSdkTest {
    static final FakeAnthropic UPSTREAM = FakeAnthropic.start();
    static RunningApp shammah;
    static AnthropicClient client;

    @BeforeAll
    static void start() {
        // Auth on, so the SDK's Bearer header is checked by Shammah itself.
        shammah = RunningApp.start(UPSTREAM.baseUrl(),
                Map.of("server.auth-enabled", "true", "server.api-keys", "shammah-client-key"), Clock.systemUTC());
        client = AnthropicOkHttpClient.builder()
                .baseUrl(shammah.uri("").toString())
                .apiKey("shammah-client-key")
                .maxRetries(0)
                .build();
    }

    @AfterAll
    static void stop() {
        client.close();
        shammah.close();
        UPSTREAM.close();
    }

    @BeforeEach
    void reset() {
        UPSTREAM.reset();
    }

    private static MessageCreateParams.Builder params(String text) {
        return MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(200).addUserMessage(text);
    }

    @Test
    void createsAMessage() {
        Message m = client.messages().create(params("Hello from the SDK").build());
        assertThat(m.content().get(0).text().orElseThrow().text(), is("echo: Hello from the SDK"));
        assertThat(m.stopReason().orElseThrow(), is(StopReason.END_TURN));
        assertThat(m.usage().outputTokens(), greaterThan(0L));
        // The SDK's own (newer) anthropic-version is what the upstream sees, not our default.
        assertThat(UPSTREAM.last().header("anthropic-version"), matchesPattern("\\d{4}-\\d{2}-\\d{2}"));
        assertThat(UPSTREAM.last().header("anthropic-version").equals("2023-06-01"), is(false));
    }

    @Test
    void streamsWithTheAccumulator() {
        MessageAccumulator acc = MessageAccumulator.create();
        int events;
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages()
                .createStreaming(params("stream these words please").build())) {
            events = (int) stream.stream().peek(acc::accumulate).count();
        }
        Message m = acc.message();
        assertThat(events, greaterThan(7));
        assertThat(m.content().get(0).text().orElseThrow().text(), is("echo: stream these words please"));
        assertThat(m.stopReason().orElseThrow(), is(StopReason.END_TURN));
    }

    @Test
    void completesAToolUseRoundTripStreamingAndNot() {
        Tool weather = Tool.builder().name("get_weather").description("Current weather")
                .inputSchema(Tool.InputSchema.builder()
                        .properties(JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .required(List.of("city"))
                        .build())
                .build();
        UPSTREAM.callToolNext("Checking.", "toolu_sdk_1", "get_weather",
                Json.createObjectBuilder().add("city", "Oslo").build());
        MessageAccumulator acc = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages()
                .createStreaming(params("Weather in Oslo?").addTool(weather).build())) {
            stream.stream().forEach(acc::accumulate);
        }
        Message first = acc.message();
        assertThat(first.stopReason().orElseThrow(), is(StopReason.TOOL_USE));
        ToolUseBlock call = first.content().get(1).toolUse().orElseThrow();
        assertThat(call.name(), is("get_weather"));
        assertThat(call._input().toString(), containsString("Oslo"));
        // Tools arrived upstream untouched.
        assertThat(UPSTREAM.last().body().getJsonArray("tools").getJsonObject(0).getString("name"), is("get_weather"));

        Message second = client.messages().create(params("Weather in Oslo?").addTool(weather)
                .addMessage(first)
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(
                        ToolResultBlockParam.builder().toolUseId(call.id()).content("-3°C, snow").build())))
                .build());
        assertThat(second.content().get(0).text().orElseThrow().text(),
                containsString("[tool_result toolu_sdk_1: \"-3°C, snow\"]"));
        var sent = UPSTREAM.last().body().getJsonArray("messages");
        assertThat(sent.getJsonObject(1).getJsonArray("content").getJsonObject(1).getJsonObject("input")
                .getString("city"), is("Oslo"));
    }

    @Test
    void countsTokens() {
        long n = client.messages().countTokens(MessageCountTokensParams.builder().model("claude-sonnet-4-5")
                .addUserMessage("count me").build()).inputTokens();
        assertThat(n, greaterThan(1000L));
    }

    @Test
    void listsModels() {
        List<String> ids = client.models().list().data().stream().map(ModelInfo::id).toList();
        assertThat(ids, is(FakeAnthropic.MODELS));
    }

    @Test
    void errorsBecomeTheSdksExceptionClasses() {
        UPSTREAM.failNext(400, "invalid_request_error", "messages: roles must alternate", Map.of());
        BadRequestException bad = assertThrows(BadRequestException.class,
                () -> client.messages().create(params("x").build()));
        assertThat(bad.getMessage(), containsString("roles must alternate"));

        UPSTREAM.failNext(429, "rate_limit_error", "Number of requests has exceeded your rate limit",
                Map.of("retry-after", "3"));
        RateLimitException limited = assertThrows(RateLimitException.class,
                () -> client.messages().create(params("x").build()));
        assertThat(limited.headers().values("retry-after"), is(List.of("3")));

        AnthropicClient wrongKey = AnthropicOkHttpClient.builder().baseUrl(shammah.uri("").toString())
                .apiKey("not-a-shammah-key").maxRetries(0).build();
        try {
            assertThrows(com.anthropic.errors.UnauthorizedException.class,
                    () -> wrongKey.messages().create(params("x").build()));
        } finally {
            wrongKey.close();
        }
    }
}
