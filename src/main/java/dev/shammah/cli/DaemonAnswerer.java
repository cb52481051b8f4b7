package dev.shammah.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import dev.shammah.engine.EngineReply;
import dev.shammah.engine.EventSink;
import dev.shammah.engine.Turn;
import dev.shammah.errors.ErrorType;
import dev.shammah.errors.ShammahException;
import dev.shammah.json.Json;
import dev.shammah.upstream.MessageAssembler;
import dev.shammah.upstream.SseEvent;
import dev.shammah.upstream.SseReader;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * A running daemon — the one that owns this data dir, or one named with {@code --daemon}, {@code SHAMMAH_DAEMON}
 * or {@code cli.daemon} — called over HTTP like any client, so the terminal shares its sessions, learning and
 * models.
 */
final class DaemonAnswerer implements Answerer {
    private final String base;
    private final String apiKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    DaemonAnswerer(URI base, String apiKey) {
        String b = base.toString();
        this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        this.apiKey = apiKey;
    }

    @Override
    public EngineReply answer(JsonObject body, Turn.Route route, EventSink sink) {
        JsonObject sent = sink == null ? body : Json.createObjectBuilder(body).add("stream", true).build();
        HttpRequest.Builder req = request("/v1/messages")
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(sent.toString()));
        if (route != Turn.Route.AUTO) {
            req.header("x-shammah-route", route.name().toLowerCase(Locale.ROOT));
        }
        HttpResponse<InputStream> res = send(req.build());
        EngineReply.RouteInfo routeInfo = new EngineReply.RouteInfo(res.headers().firstValue("x-shammah-route")
                .orElse(""), null, res.headers().firstValue("x-shammah-match").orElse(null), -1);
        String session = res.headers().firstValue("x-shammah-session-id").orElse(null);
        boolean sse = res.headers().firstValue("content-type").orElse("").startsWith("text/event-stream");
        try {
            if (!sse) {
                JsonObject json = json(res);
                return new EngineReply(res.statusCode(), json, json.getString("session_id", session), Map.of(),
                        routeInfo);
            }
            sink.open(new EventSink.Head(session, routeInfo, Map.of()));
            MessageAssembler assembler = new MessageAssembler();
            try (SseReader events = new SseReader(res.body())) {
                SseEvent e;
                while ((e = events.next()) != null) {
                    assembler.accept(e);
                    sink.send(e);
                }
            } catch (EventSink.ClientGoneException e) {
                return new EngineReply(499, assembler.message(), session, Map.of(), routeInfo);
            }
            if (assembler.error() != null) {
                return new EngineReply(502, assembler.error(), session, Map.of(), routeInfo);
            }
            return new EngineReply(200, assembler.message(), session, Map.of(), routeInfo);
        } catch (IOException e) {
            throw new ShammahException(ErrorType.OVERLOADED, "The daemon at " + base + " broke off the answer ("
                    + reason(e) + ")", e);
        }
    }

    @Override
    public long[] routeCounts() {
        JsonObject s = get("/v1/training/status");
        if (s == null || !(s.get("requests") instanceof JsonObject r)) {
            return null;
        }
        return new long[] {r.getJsonNumber("local").longValue(), r.getJsonNumber("forward").longValue()};
    }

    @Override
    public JsonObject usage() {
        JsonObject u = get("/admin/usage");
        return u != null && u.get("totals") instanceof JsonObject ? u : null;
    }

    @Override
    public double dollarsSaved() {
        JsonObject s = get("/v1/training/status");
        if (s == null || !(s.get("requests") instanceof JsonObject r)
                || !(r.get("estimated_teacher_cost_saved_usd") instanceof JsonNumber n)) {
            return Double.NaN;
        }
        return n.doubleValue();
    }

    @Override
    public String describeSession(String sessionId) {
        JsonObject s = get("/v1/session/" + sessionId);
        if (s == null || s.containsKey("error")) {
            return "Session " + sessionId + " has expired; the next message starts a new one.";
        }
        JsonObject usage = s.getJsonObject("usage");
        return "session " + sessionId + ": " + s.get("turns") + " turns, " + s.get("message_count") + " messages, "
                + (usage == null ? "?" : usage.get("input_tokens")) + " input / "
                + (usage == null ? "?" : usage.get("output_tokens")) + " output tokens (held by the daemon at " + base
                + ")";
    }

    @Override
    public String training() {
        JsonObject s = get("/v1/training/status");
        if (s == null || !s.containsKey("enabled")) {
            return "The daemon at " + base + " did not say (GET /v1/training/status)";
        }
        long passed = s.getJsonObject("shadow").getJsonNumber("passes").longValue()
                + s.getJsonObject("verify").getJsonNumber("passed").longValue();
        long failed = s.getJsonObject("shadow").getJsonNumber("fails").longValue()
                + s.getJsonObject("verify").getJsonNumber("failed").longValue();
        var edits = s.getJsonObject("router").getJsonArray("edits");
        long trusted = edits.stream().filter(e -> e.asJsonObject().getBoolean("trusted", false)).count();
        String line = TrainingText.summary(s.getBoolean("enabled"), s.getJsonNumber("memory_exchanges").longValue(),
                passed, failed, trusted, edits.size());
        if (s.get("rewordings") instanceof JsonObject r) {
            line += "\n" + TrainingText.rewordings(r.getJsonNumber("candidates").longValue(),
                    r.getJsonNumber("guard_refused").longValue(), r.getJsonNumber("agreed").longValue(),
                    r.getJsonNumber("disagreed").longValue());
        }
        JsonObject st = s.getJsonObject("student");
        return line + "\nstudent: " + (st == null || !st.getBoolean("enabled", false) ? "off"
                : st.get("examples") + " examples, " + st.get("steps") + " steps, "
                + (st.isNull("serving") ? "no checkpoint yet" : "serving "
                + st.getJsonObject("serving").getString("checkpoint")));
    }

    @Override
    public String models() {
        JsonObject m = get("/v1/models?limit=1000");
        if (m == null || !(m.get("data") instanceof JsonArray data)) {
            return "The daemon at " + base + " did not say (GET /v1/models)";
        }
        StringBuilder sb = new StringBuilder("recall (shammah-recall): answers from remembered teacher answers");
        for (JsonValue v : data) {
            String id = v.asJsonObject().getString("id", "");
            if (id.startsWith("shammah-")) {
                sb.append('\n').append(id).append(": ").append(v.asJsonObject().getString("display_name", ""));
            }
        }
        return sb.append("\n(models live in the daemon at ").append(base).append(')').toString();
    }

    @Override
    public String where() {
        return "daemon at " + base;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (apiKey != null && !apiKey.isBlank()) {
            b.header("x-api-key", apiKey);
        }
        return b;
    }

    /** A GET's JSON answer, or null when it could not be had. */
    private JsonObject get(String path) {
        try {
            return json(send(request(path).GET().build()));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private HttpResponse<InputStream> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new ShammahException(ErrorType.OVERLOADED, "Cannot reach the daemon at " + base + " ("
                    + reason(e) + "); is it running? (shammah daemon, or check --daemon / SHAMMAH_DAEMON / "
                    + "cli.daemon)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShammahException(ErrorType.API_ERROR, "Interrupted while waiting for the daemon at " + base);
        }
    }

    private static JsonObject json(HttpResponse<InputStream> res) throws IOException {
        try (InputStream in = res.body()) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Json.createReader(new StringReader(text)).readObject();
        } catch (JsonException e) {
            throw new IOException("the answer was not JSON (HTTP " + res.statusCode() + ")", e);
        }
    }

    /** Why a connection failed, in words: never "null". */
    static String reason(IOException e) {
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof HttpTimeoutException) {
            return "timed out";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? "connection failed" : m;
    }
}
