package dev.shammah.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import dev.shammah.engine.EngineReply;
import dev.shammah.engine.EventSink;
import dev.shammah.engine.Turn;
import dev.shammah.errors.ErrorType;
import dev.shammah.errors.ShammahException;
import dev.shammah.upstream.MessageAssembler;
import dev.shammah.upstream.SseEvent;
import dev.shammah.upstream.SseReader;
import dev.shammah.json.Json;
import jakarta.json.JsonObject;

/** A running daemon ({@code query --daemon URL}), called over HTTP like any client. */
final class DaemonAnswerer implements Answerer {
    private final URI messages;
    private final String apiKey;
    private final HttpClient http = HttpClient.newHttpClient();

    DaemonAnswerer(URI base, String apiKey) {
        String b = base.toString().endsWith("/") ? base.toString().substring(0, base.toString().length() - 1)
                : base.toString();
        this.messages = URI.create(b + "/v1/messages");
        this.apiKey = apiKey;
    }

    @Override
    public EngineReply answer(JsonObject body, Turn.Route route, EventSink sink) {
        JsonObject sent = sink == null ? body : Json.createObjectBuilder(body).add("stream", true).build();
        HttpRequest.Builder req = HttpRequest.newBuilder(messages)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(sent.toString()));
        if (route != Turn.Route.AUTO) {
            req.header("x-shammah-route", route.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (apiKey != null && !apiKey.isBlank()) {
            req.header("x-api-key", apiKey);
        }
        try {
            HttpResponse<InputStream> res = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
            EngineReply.RouteInfo routeInfo = new EngineReply.RouteInfo(res.headers().firstValue("x-shammah-route")
                    .orElse(""), null, res.headers().firstValue("x-shammah-match").orElse(null), -1);
            Map<String, String> headers = Map.of();
            String session = res.headers().firstValue("x-shammah-session-id").orElse(null);
            boolean sse = res.headers().firstValue("content-type").orElse("").startsWith("text/event-stream");
            if (!sse) {
                try (InputStream in = res.body()) {
                    JsonObject json = Json.createReader(new StringReader(new String(in.readAllBytes(),
                            java.nio.charset.StandardCharsets.UTF_8))).readObject();
                    return new EngineReply(res.statusCode(), json, json.getString("session_id", session), headers,
                            routeInfo);
                }
            }
            sink.open(new EventSink.Head(session, routeInfo, headers));
            MessageAssembler assembler = new MessageAssembler();
            try (SseReader events = new SseReader(res.body())) {
                SseEvent e;
                while ((e = events.next()) != null) {
                    assembler.accept(e);
                    sink.send(e);
                }
            } catch (EventSink.ClientGoneException e) {
                return new EngineReply(499, assembler.message(), session, headers, routeInfo);
            }
            if (assembler.error() != null) {
                return new EngineReply(502, assembler.error(), session, headers, routeInfo);
            }
            return new EngineReply(200, assembler.message(), session, headers, routeInfo);
        } catch (IOException e) {
            throw new ShammahException(ErrorType.OVERLOADED, "Cannot reach the daemon at " + messages + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShammahException(ErrorType.API_ERROR, "Interrupted");
        }
    }
}
