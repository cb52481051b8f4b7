package dev.shammah.upstream;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/** The SSE decoder fed recorded Anthropic frames and the spec's corner cases. */
class SseReaderTest {
    private static List<SseEvent> read(String wire) throws Exception {
        List<SseEvent> events = new ArrayList<>();
        try (SseReader r = new SseReader(new ByteArrayInputStream(wire.getBytes(StandardCharsets.UTF_8)))) {
            SseEvent e;
            while ((e = r.next()) != null) {
                events.add(e);
            }
        }
        return events;
    }

    @Test
    void decodesARecordedAnthropicStream() throws Exception {
        String wire = """
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"output_tokens":1}}}

                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

                event: ping
                data: {"type": "ping"}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":0}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}

                event: message_stop
                data: {"type":"message_stop"}

                """;
        List<SseEvent> events = read(wire);
        assertThat(events.stream().map(SseEvent::event).toList(), contains("message_start", "content_block_start",
                "ping", "content_block_delta", "content_block_stop", "message_delta", "message_stop"));
        assertThat(events.get(2).data(), is("{\"type\": \"ping\"}"));
    }

    @Test
    void handlesCrlfCommentsMultiLineDataAndNoSpaceAfterTheColon() throws Exception {
        String wire = ": keep-alive comment\r\nevent:error\r\ndata:{\"a\":\r\ndata: 1}\r\n\r\n";
        List<SseEvent> events = read(wire);
        assertThat(events.size(), is(1));
        assertThat(events.get(0).event(), is("error"));
        assertThat(events.get(0).data(), is("{\"a\":\n1}"));
    }

    @Test
    void anEventWithoutItsBlankLineIsIncompleteAndDropped() throws Exception {
        assertThat(read("event: message_stop\ndata: {}\n").size(), is(0));
        try (SseReader r = new SseReader(new ByteArrayInputStream(new byte[0]))) {
            assertThat(r.next(), nullValue());
        }
    }

    @Test
    void encodeAndDecodeRoundTrip() throws Exception {
        SseEvent e = new SseEvent("content_block_delta", "{\"x\":\"line1\\nline2\"}\nsecond line");
        assertThat(read(e.encode()), contains(e));
    }
}
