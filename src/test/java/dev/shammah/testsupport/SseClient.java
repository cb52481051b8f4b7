package dev.shammah.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.shammah.upstream.SseEvent;
import dev.shammah.upstream.SseReader;

/** Reads a streamed response event by event with the JDK client, as an SDK would. */
public final class SseClient {
    private SseClient() {
    }

    /** The response's status and content type, and every event in order. */
    public record Result(int status, String contentType, List<SseEvent> events, String body) {
    }

    public static Result post(URI uri, String body, Consumer<SseEvent> onEvent) {
        return post(uri, body, java.util.Map.of(), onEvent);
    }

    public static Result post(URI uri, String body, java.util.Map<String, String> headers, Consumer<SseEvent> onEvent) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            headers.forEach(request::header);
            HttpResponse<InputStream> res = HttpClient.newHttpClient().send(request.build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            String type = res.headers().firstValue("content-type").orElse("");
            if (!type.startsWith("text/event-stream")) {
                try (InputStream in = res.body()) {
                    return new Result(res.statusCode(), type, List.of(), new String(in.readAllBytes()));
                }
            }
            List<SseEvent> events = new ArrayList<>();
            try (SseReader reader = new SseReader(res.body())) {
                SseEvent e;
                while ((e = reader.next()) != null) {
                    events.add(e);
                    onEvent.accept(e);
                }
            }
            return new Result(res.statusCode(), type, events, null);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
