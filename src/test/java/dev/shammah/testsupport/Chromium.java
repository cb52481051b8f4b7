package dev.shammah.testsupport;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * A headless Chromium driven over the DevTools protocol with the JDK's own WebSocket client — no Selenium, no
 * driver binary, no download: the system's {@code chromium} (Debian's package; scripts/test installs it where it
 * can). {@link #find()} says whether there is one; tests skip, loudly, when there is not.
 */
public final class Chromium implements AutoCloseable {
    private static final List<String> NAMES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome");
    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
    /** Uncaught exceptions and console.error calls of the page, as text. */
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());

    /** The browser's executable, or null when this machine has none. */
    public static Path find() {
        return NAMES.stream().map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
    }

    private Chromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** Starts one with a blank page of {@code width}×{@code height} and attaches to that page. */
    public static Chromium start(Path executable, int width, int height) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("shammah-chromium");
        Process p = new ProcessBuilder(executable.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height, "about:blank")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(portFile) || Files.readAllLines(portFile).isEmpty()) {
            if (System.nanoTime() > deadline || !p.isAlive()) {
                p.destroyForcibly();
                throw new IOException("Chromium did not open its DevTools port");
            }
            Thread.sleep(50);
        }
        int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
        HttpClient http = HttpClient.newHttpClient();
        String pageSocket = null;
        while (pageSocket == null) {
            String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            for (JsonValue v : Json.createReader(new StringReader(list)).readArray()) {
                if ("page".equals(v.asJsonObject().getString("type", ""))) {
                    pageSocket = v.asJsonObject().getString("webSocketDebuggerUrl");
                }
            }
            if (pageSocket == null) {
                Thread.sleep(50);
            }
        }
        Chromium[] self = new Chromium[1];
        StringBuilder partial = new StringBuilder();
        WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    String text = partial.toString();
                    partial.setLength(0);
                    self[0].received(Json.createReader(new StringReader(text)).readObject());
                }
                w.request(1);
                return null;
            }
        }).join();
        Chromium c = new Chromium(p, profile, ws);
        self[0] = c;
        c.call("Runtime.enable", Json.createObjectBuilder().build());
        c.call("Page.enable", Json.createObjectBuilder().build());
        c.call("Emulation.setDeviceMetricsOverride", Json.createObjectBuilder().add("width", width)
                .add("height", height).add("deviceScaleFactor", 1).add("mobile", false).build());
        return c;
    }

    private void received(JsonObject message) {
        if (message.containsKey("id")) {
            CompletableFuture<JsonObject> f = pending.remove(message.getInt("id"));
            if (f != null) {
                f.complete(message);
            }
            return;
        }
        String method = message.getString("method", "");
        JsonObject params = message.getJsonObject("params");
        if (method.equals("Runtime.exceptionThrown")) {
            errors.add("exception: " + params.getJsonObject("exceptionDetails"));
        } else if (method.equals("Runtime.consoleAPICalled") && "error".equals(params.getString("type", ""))) {
            errors.add("console.error: " + params.getJsonArray("args"));
        }
    }

    /** Sends one DevTools command and waits (10 s at most) for its result. */
    public JsonObject call(String method, JsonObject params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonObject> f = new CompletableFuture<>();
        pending.put(id, f);
        socket.sendText(Json.createObjectBuilder().add("id", id).add("method", method).add("params", params).build()
                .toString(), true).join();
        JsonObject reply = f.orTimeout(10, TimeUnit.SECONDS).join();
        if (reply.containsKey("error")) {
            throw new IllegalStateException(method + ": " + reply.get("error"));
        }
        return reply.getJsonObject("result");
    }

    /** Resizes the page's viewport; {@code mobile} as a phone would report it. */
    public void viewport(int width, int height, boolean mobile) {
        call("Emulation.setDeviceMetricsOverride", Json.createObjectBuilder().add("width", width)
                .add("height", height).add("deviceScaleFactor", 1).add("mobile", mobile).build());
    }

    public void navigate(String url) {
        call("Page.navigate", Json.createObjectBuilder().add("url", url).build());
    }

    /** The value of a JavaScript expression in the page (JSON-shaped values only). */
    public JsonValue eval(String expression) {
        JsonObject r = call("Runtime.evaluate", Json.createObjectBuilder().add("expression", expression)
                .add("returnByValue", true).add("awaitPromise", true).build());
        if (r.containsKey("exceptionDetails")) {
            throw new IllegalStateException(expression + ": " + r.get("exceptionDetails"));
        }
        JsonObject result = r.getJsonObject("result");
        return result.containsKey("value") ? result.get("value") : JsonValue.NULL;
    }

    /** Waits (at most {@code timeout}) until {@code condition} is true in the page. */
    public void waitFor(String condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (eval("!!(" + condition + ")") != JsonValue.TRUE) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the page never showed: " + condition);
            }
            Thread.sleep(100);
        }
    }

    /** The visible page as a PNG. */
    public byte[] screenshot() {
        return java.util.Base64.getDecoder().decode(call("Page.captureScreenshot",
                Json.createObjectBuilder().add("format", "png").build()).getString("data"));
    }

    public List<String> errors() {
        return List.copyOf(errors);
    }

    @Override
    public void close() {
        socket.abort();
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        } catch (IOException | InterruptedException e) {
            // A leftover temporary profile is not a test failure.
        }
    }
}
