package dev.shammah.upstream;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a {@code text/event-stream} body event by event, following the WHATWG rules that matter for
 * Anthropic's streams: {@code event:} and {@code data:} fields, multi-line data, comments ({@code :}),
 * optional space after the colon, CRLF or LF line ends, dispatch on a blank line. Helidon 4.2 ships no SSE
 * client, hence this small decoder.
 */
public final class SseReader implements AutoCloseable {
    private final BufferedReader reader;

    public SseReader(InputStream in) {
        this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** The next event, or null at the end of the stream. */
    public SseEvent next() throws IOException {
        String event = "";
        StringBuilder data = null;
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    return new SseEvent(event, data.toString());
                }
                event = "";
                continue;
            }
            if (line.charAt(0) == ':') {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> event = value;
                case "data" -> {
                    if (data == null) {
                        data = new StringBuilder(value);
                    } else {
                        data.append('\n').append(value);
                    }
                }
                default -> {
                    // id and retry carry nothing for Anthropic streams; unknown fields are ignored per spec.
                }
            }
        }
        // A final event without its blank line is incomplete by the spec and is dropped.
        return null;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
