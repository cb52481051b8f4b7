package dev.shammah.cli.tools;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import jakarta.json.JsonObject;

/** {@code fetch}: an HTTP(S) GET with a timeout, body capped. Fails clearly when offline. */
public final class FetchTool implements Tool {
    static final int MAX_CHARS = 64 * 1024;

    private final Duration timeout;
    private final HttpClient http;

    public FetchTool(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    @Override
    public String name() {
        return "fetch";
    }

    @Override
    public JsonObject definition() {
        return Schemas.tool(name(), "HTTP GET a URL; returns the status and up to 64 KB of the body.", "url",
                "http or https URL");
    }

    @Override
    public Call prepare(JsonObject input, Path workingDir) {
        String url = Tool.requiredString(input, "url");
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad URL: " + e.getMessage());
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("only http and https URLs can be fetched");
        }
        return new Call() {
            @Override
            public String argument() {
                return url;
            }

            @Override
            public String describe() {
                return "GET " + url;
            }

            @Override
            public ToolResult run(Approver approver) {
                return fetch(uri);
            }
        };
    }

    private ToolResult fetch(URI uri) {
        try {
            HttpResponse<InputStream> res = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = res.body()) {
                String text = new String(body.readNBytes(MAX_CHARS * 4), StandardCharsets.UTF_8);
                return new ToolResult("HTTP " + res.statusCode() + "\n" + Tool.cap(text, MAX_CHARS),
                        res.statusCode() >= 400);
            }
        } catch (IOException e) {
            return ToolResult.failed("Fetch failed (offline or unreachable?): " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ToolResult.failed("Interrupted");
        }
    }
}
