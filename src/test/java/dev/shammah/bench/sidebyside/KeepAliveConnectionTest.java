package dev.shammah.bench.sidebyside;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.shammah.testsupport.FakeAnthropic;
import dev.shammah.testsupport.RawUpstream;
import org.junit.jupiter.api.Test;

/** The side-by-side bench's client reads every body framing its peers use and times the first event where it is. */
class KeepAliveConnectionTest {
    private static final Map<String, String> HEADERS = Map.of("content-type", "application/json", "x-api-key",
            FakeAnthropic.API_KEY, "anthropic-version", "2023-06-01");

    private static byte[] body(boolean stream, String text) {
        return ("{\"model\":\"claude-bench\",\"max_tokens\":16," + (stream ? "\"stream\":true," : "")
                + "\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void jsonWithContentLengthAndChunkedStreamShareOneKeptAliveConnection() throws Exception {
        try (FakeAnthropic fake = FakeAnthropic.start();
                KeepAliveConnection c = new KeepAliveConnection(fake.baseUrl().getPort())) {
            fake.answerWith(r -> "pong " + r.getJsonArray("messages").getJsonObject(0).getString("content"));
            for (int i = 0; i < 3; i++) {
                KeepAliveConnection.Response json = c.post("/v1/messages", HEADERS, body(false, "json " + i));
                assertEquals(200, json.status());
                assertTrue(json.text().contains("pong json " + i), json.text());
                assertEquals(-1, json.firstEventNanos());

                KeepAliveConnection.Response sse = c.post("/v1/messages", HEADERS, body(true, "sse " + i));
                assertEquals(200, sse.status());
                assertEquals("chunked", sse.headers().get("transfer-encoding"));
                // The fake streams the answer a word per delta.
                assertTrue(sse.text().contains("\"text\":\" " + i + "\"") && sse.text().endsWith("event: message_stop\n"
                        + "data: {\"type\":\"message_stop\"}\n\n"), sse.text());
                assertTrue(sse.firstEventNanos() > 0 && sse.firstEventNanos() <= sse.nanos());
            }
            assertEquals(0, c.reconnects());
            assertEquals(6, fake.received("/v1/messages").size());
        }
    }

    @Test
    void aBodyEndedByClosingIsReadWholeAndTheNextRequestReconnects() throws Exception {
        try (RawUpstream raw = RawUpstream.start();
                KeepAliveConnection c = new KeepAliveConnection(raw.baseUrl().getPort())) {
            raw.mode(RawUpstream.Mode.CLOSE_DELIMITED_SSE);
            KeepAliveConnection.Response first = c.post("/v1/messages", HEADERS, body(true, "a"));
            assertTrue(first.text().contains(RawUpstream.TEXT) && first.text().contains("message_stop"), first.text());
            assertTrue(first.firstEventNanos() > 0);
            raw.mode(RawUpstream.Mode.CLOSE_DELIMITED_JSON);
            KeepAliveConnection.Response second = c.post("/v1/messages", HEADERS, body(false, "b"));
            assertTrue(second.text().contains(RawUpstream.TEXT), second.text());
            assertEquals(2, raw.connections());
        }
    }

    @Test
    void aKeptConnectionTheServerDroppedIsRetriedOnANewOne() throws Exception {
        try (RawUpstream raw = RawUpstream.start();
                KeepAliveConnection c = new KeepAliveConnection(raw.baseUrl().getPort())) {
            raw.mode(RawUpstream.Mode.CLOSE_WHEN_IDLE);
            assertEquals(200, c.post("/v1/messages", HEADERS, body(false, "a")).status());
            KeepAliveConnection.Response again = c.post("/v1/messages", HEADERS, body(false, "b"));
            assertEquals(200, again.status());
            assertTrue(again.text().contains(RawUpstream.TEXT));
            assertEquals(1, raw.dropped());
            assertEquals(1, c.reconnects());
        }
    }
}
