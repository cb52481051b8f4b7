package dev.shammah.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import jakarta.json.JsonObject;

/** Helpers for tests of instances sharing a store: their config, what they answered, waiting for each other. */
public final class Cluster {
    private Cluster() {
    }

    /** An instance of the store at {@code url} that learns, never verifying unless told. */
    public static Map<String, String> learning(String url) {
        Map<String, String> c = new HashMap<>(TestPostgres.storeConfig(url));
        c.put("learning.enabled", "true");
        c.put("learning.verify-rate", "0");
        return c;
    }

    /**
     * Asks {@code app} one question (as the client with {@code key}, or none), and waits until what it learned from
     * the answer is written: the next request, here or on another instance, may count on it.
     */
    public static HttpResponse<String> ask(RunningApp app, String key, String text) {
        HttpRequest.Builder b = HttpRequest.newBuilder(app.uri("/v1/messages")).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Requests.simple(text, null)));
        if (key != null) {
            b.header("x-api-key", key);
        }
        HttpResponse<String> r = app.send(b.build());
        app.app().learning().drain();
        return r;
    }

    public static String route(HttpResponse<String> r) {
        return r.headers().firstValue("x-shammah-route").orElse("");
    }

    public static String text(HttpResponse<String> r) {
        return JsonText.parse(r.body()).getJsonArray("content").getJsonObject(0).getString("text");
    }

    /** The router's reasons, in order, from the instance's request log. */
    public static List<String> reasons(RunningApp app) {
        List<String> out = new ArrayList<>();
        app.app().flushLogs();
        Path dir = app.dataDir().resolve("metrics");
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList()) {
                String text = Files.readString(f);
                // The instance may be appending as we read (its learner and rewording observer write lines off
                // the request's path): a last line without its newline is not written yet.
                for (String line : text.substring(0, text.lastIndexOf('\n') + 1).lines().toList()) {
                    JsonObject o = JsonText.parse(line);
                    if (o.containsKey("route") && !o.containsKey("kind")) {
                        out.add(o.getString("reason", ""));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public static String lastReason(RunningApp app) {
        List<String> r = reasons(app);
        return r.isEmpty() ? "" : r.get(r.size() - 1);
    }

    /** Waits (at most ten seconds) until {@code condition} holds. */
    public static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
