package dev.shammah.bench.sidebyside;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

/**
 * The JSON block's paired added latency again, as a Python client sees it: {@code scripts/lib/paired-latency.py}
 * ({@code http.client}, one keep-alive connection to each side, the same pairing and fresh prompts as
 * {@link PairedLatency}). Two clients that disagree about a gateway's added latency disagree about something the
 * gateway does to one and not the other (framing, timing of its writes); both are shown side by side.
 */
final class PythonLatency {
    /** What the script measured: the samples, its errors, and the interpreter's version. */
    record Result(Samples direct, Samples target, int errors, String firstError, String python) {
    }

    static final Path SCRIPT = Path.of("scripts/lib/paired-latency.py");

    private PythonLatency() {
    }

    /** Why there is no Python client here, or null when there is one. */
    static String unavailable() {
        if (!Files.isRegularFile(SCRIPT)) {
            return SCRIPT + " not found (run from the repository root)";
        }
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? null : "python3 did not run";
        } catch (IOException e) {
            return "python3 not installed";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    static Result run(PairedLatency.Endpoint direct, PairedLatency.Endpoint target, int warmup, int pairs)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("python3", SCRIPT.toString(),
                "--direct-port", Integer.toString(direct.port()), "--target-port", Integer.toString(target.port()),
                "--path", target.path(), "--warmup", Integer.toString(warmup), "--pairs", Integer.toString(pairs),
                "--expect", FakeUpstream.ANSWER));
        for (Map.Entry<String, String> h : target.headers().entrySet()) {
            cmd.add("--header");
            cmd.add(h.getKey() + ": " + h.getValue());
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("paired-latency.py failed (exit " + (p.isAlive() ? "none" : p.exitValue()) + ")");
        }
        try (JsonReader r = Json.createReader(new StringReader(out))) {
            JsonObject o = r.readObject();
            return new Result(samples(o.getJsonArray("direct")), samples(o.getJsonArray("target")),
                    o.getInt("errors"), o.isNull("first_error") ? null : o.getString("first_error"),
                    o.getString("python", "?"));
        }
    }

    private static Samples samples(JsonArray a) {
        Samples s = new Samples();
        for (JsonValue v : a) {
            s.add(((JsonNumber) v).longValue());
        }
        return s;
    }
}
