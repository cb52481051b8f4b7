package dev.shammah.upstream;

import java.util.List;

import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.StreamGrammar;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

class MessageAssemblerTest {
    private static JsonObject message(jakarta.json.JsonArrayBuilder content, String stopReason) {
        return Json.createObjectBuilder()
                .add("id", "msg_1").add("type", "message").add("role", "assistant").add("model", "claude-x")
                .add("content", content)
                .add("stop_reason", stopReason).add("stop_sequence", JsonValue.NULL)
                .add("usage", Json.createObjectBuilder().add("input_tokens", 12).add("output_tokens", 34))
                .build();
    }

    private static MessageAssembler feed(List<String[]> events) {
        MessageAssembler a = new MessageAssembler();
        events.forEach(e -> a.accept(new SseEvent(e[0], e[1])));
        return a;
    }

    @Test
    void rebuildsTextThinkingAndToolUseExactly() {
        JsonObject original = message(Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("type", "thinking").add("thinking", "Let me think it over.")
                        .add("signature", "EqQBCgIYAhIM"))
                .add(Json.createObjectBuilder().add("type", "text").add("text", "I'll check the weather."))
                .add(Json.createObjectBuilder().add("type", "tool_use").add("id", "toolu_01").add("name", "get_weather")
                        .add("input", Json.createObjectBuilder().add("location", "San Francisco, CA")
                                .add("units", Json.createArrayBuilder().add("c").add("f")))), "tool_use");
        List<String[]> events = FakeAnthropic.events(original);
        StreamGrammar.check(events.stream().map(e -> new SseEvent(e[0], e[1])).toList());
        MessageAssembler a = feed(events);
        assertThat(a.complete(), is(true));
        assertThat(a.error(), nullValue());
        assertThat(a.message(), is(original));
    }

    @Test
    void anErrorEventIsKeptAndTheMessageIsNotComplete() {
        MessageAssembler a = feed(List.of(
                new String[] {"message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"role\":\"assistant\",\"content\":[],\"usage\":{\"input_tokens\":1}}}"},
                new String[] {"error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"}));
        assertThat(a.complete(), is(false));
        assertThat(a.error().getJsonObject("error").getString("type"), is("overloaded_error"));
    }

    @Test
    void unknownEventsAndGarbageAreIgnored() {
        MessageAssembler a = new MessageAssembler();
        a.accept(new SseEvent("future_event", "{\"type\":\"future_event\"}"));
        a.accept(new SseEvent("ping", "not json"));
        assertThat(a.complete(), is(false));
    }
}
