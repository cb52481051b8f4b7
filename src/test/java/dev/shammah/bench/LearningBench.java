package dev.shammah.bench;

import java.io.IOException;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.shammah.testsupport.FakeAnthropic;
import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * {@code scripts/bench-learning WORKLOAD.jsonl}: replays a workload through a real Shammah daemon (a child
 * process, started from target/shammah.jar with a fresh data dir and the default learning settings) with the
 * fake upstream as the teacher, answering every prompt with that line's {@code reference}. Each answer is
 * judged against the reference by this class's own ROUGE-L (whitespace tokens, not the router's tokenizer or
 * validator): accepted at F1 ≥ 0.8 or exact match. Prints a table per 10% of the stream and a summary.
 */
public final class LearningBench {
    private record Line(String prompt, String reference, String group, String kind) {
    }

    private record Result(boolean local, boolean firstOfGroup, boolean accepted, long latencyMicros,
                          long outputTokens) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: LearningBench WORKLOAD.jsonl [--teacher-latency-ms N] [--markdown FILE]");
            System.exit(2);
        }
        Path workload = Path.of(args[0]);
        long teacherLatency = 100;
        Path markdown = null;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--teacher-latency-ms" -> teacherLatency = Long.parseLong(args[++i]);
                case "--markdown" -> markdown = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<Line> lines = read(workload);
        Map<String, String> references = new HashMap<>();
        lines.forEach(l -> references.put(l.prompt(), l.reference()));

        FakeAnthropic teacher = FakeAnthropic.start();
        teacher.answerWith(request -> references.getOrDefault(lastUserText(request), "I do not know."));
        teacher.delay(Duration.ofMillis(teacherLatency));

        Path data = Files.createTempDirectory("shammah-bench");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process daemon = startDaemon(teacher.baseUrl(), data, port);
        HttpClient http = HttpClient.newHttpClient();
        URI messages = URI.create("http://127.0.0.1:" + port + "/v1/messages");
        List<Result> results = new ArrayList<>();
        String student = "";
        Set<String> seen = new HashSet<>();
        long wall = System.nanoTime();
        try {
            awaitHealthy(http, port);
            for (Line l : lines) {
                String body = Json.createObjectBuilder().add("model", "claude-sonnet-4-6").add("max_tokens", 1024)
                        .add("messages", Json.createArrayBuilder().add(Json.createObjectBuilder()
                                .add("role", "user").add("content", l.prompt()))).build().toString();
                long start = System.nanoTime();
                HttpResponse<String> res = http.send(HttpRequest.newBuilder(messages)
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                long micros = (System.nanoTime() - start) / 1000;
                if (res.statusCode() != 200) {
                    throw new IllegalStateException("HTTP " + res.statusCode() + ": " + res.body());
                }
                JsonObject answer = Json.createReader(new StringReader(res.body())).readObject();
                String text = answer.getJsonArray("content").getJsonObject(0).getString("text", "");
                boolean local = "local".equals(res.headers().firstValue("x-shammah-route").orElse(""));
                boolean accepted = text.equals(l.reference()) || rougeL(text, l.reference()) >= 0.8;
                results.add(new Result(local, seen.add(l.group()), accepted, micros,
                        answer.getJsonObject("usage").getInt("output_tokens")));
            }
            student = studentAlone(http, port, lines);
        } finally {
            daemon.destroy();
            daemon.waitFor();
            teacher.close();
        }
        double seconds = (System.nanoTime() - wall) / 1e9;
        String report = report(workload, results, teacherLatency, seconds) + student;
        System.out.print(report);
        if (markdown != null) {
            Files.writeString(markdown, report);
        }
    }

    /**
     * The student alone, no recall: after the replay (during which it trained in the background on the
     * forwarded answers), each distinct prompt is sent to model {@code shammah-student} and judged the same way.
     */
    private static String studentAlone(HttpClient http, int port, List<Line> lines) throws Exception {
        URI messages = URI.create("http://127.0.0.1:" + port + "/v1/messages");
        JsonObject status = Json.createReader(new StringReader(http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/v1/training/status")).build(),
                HttpResponse.BodyHandlers.ofString()).body())).readObject();
        Map<String, String> distinct = new java.util.LinkedHashMap<>();
        lines.forEach(l -> distinct.putIfAbsent(l.prompt(), l.reference()));
        int accepted = 0;
        int answered = 0;
        double rougeSum = 0;
        for (Map.Entry<String, String> e : distinct.entrySet()) {
            String body = Json.createObjectBuilder().add("model", "shammah-student").add("max_tokens", 256)
                    .add("messages", Json.createArrayBuilder().add(Json.createObjectBuilder()
                            .add("role", "user").add("content", e.getKey()))).build().toString();
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(messages)
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() != 200) {
                return String.format(Locale.ROOT, "%nStudent alone: not measured — HTTP %d (%s).%n", res.statusCode(),
                        res.body());
            }
            String text = Json.createReader(new StringReader(res.body())).readObject().getJsonArray("content")
                    .getJsonObject(0).getString("text", "");
            double r = rougeL(text, e.getValue());
            rougeSum += r;
            answered++;
            if (text.equals(e.getValue()) || r >= 0.8) {
                accepted++;
            }
        }
        JsonObject s = status.getJsonObject("student");
        return String.format(Locale.ROOT, "%nStudent alone (no recall), after training on this run's forwarded answers "
                        + "(%s examples, %s optimizer steps, serving %s): %d of %d distinct prompts accepted (%.1f%%), "
                        + "mean ROUGE-L F1 %.3f.%n", s.get("examples"), s.get("steps"),
                s.isNull("serving") ? "nothing" : s.getJsonObject("serving").getString("checkpoint"),
                accepted, answered, 100.0 * accepted / Math.max(1, answered), rougeSum / Math.max(1, answered));
    }

    private static Process startDaemon(URI teacher, Path data, int port) throws IOException {
        String javaHome = System.getProperty("java.home");
        ProcessBuilder pb = new ProcessBuilder(javaHome + "/bin/java", "--enable-native-access=ALL-UNNAMED",
                "-Dai.djl.offline=true", "-jar", "target/shammah.jar", "daemon", "--bind", "127.0.0.1:" + port,
                "--data-dir", data.toString());
        pb.environment().put("ANTHROPIC_API_KEY", FakeAnthropic.API_KEY);
        pb.environment().put("SHAMMAH_UPSTREAM_BASE_URL", teacher.toString());
        pb.redirectErrorStream(true).redirectOutput(data.resolve("daemon.log").toFile());
        return pb.start();
    }

    private static void awaitHealthy(HttpClient http, int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("daemon did not start");
    }

    static String report(Path workload, List<Result> results, long teacherLatency, double seconds) {
        StringBuilder sb = new StringBuilder();
        int n = results.size();
        sb.append(String.format(Locale.ROOT, "Workload %s: %d requests, teacher = fake upstream answering each prompt "
                + "with its reference after %d ms; wall time %.1f s.%n%n", workload.getFileName(), n, teacherLatency,
                seconds));
        sb.append("| requests | local share | share of reachable | local accepted | wrong-local rate "
                + "| p50 / p99 local ms | p50 / p99 forward ms | teacher output tokens saved |\n");
        sb.append("|---|---|---|---|---|---|---|---|\n");
        int step = Math.max(1, n / 10);
        for (int from = 0; from < n; from += step) {
            int to = Math.min(n, from + step);
            sb.append(row(results.subList(from, to), from, to));
        }
        sb.append(row(results, 0, n).replaceFirst("\\| 1–", "| **all** 1–"));
        long local = results.stream().filter(Result::local).count();
        long reachable = results.stream().filter(r -> !r.firstOfGroup()).count();
        long accepted = results.stream().filter(r -> r.local() && r.accepted()).count();
        sb.append(String.format(Locale.ROOT, "%nOverall: %d of %d answered locally (%.1f%%); %d could have been "
                        + "(their group was seen before: theoretical maximum %.1f%%), so %.1f%% of the reachable "
                        + "share; %.1f%% of local answers accepted by the judge (ROUGE-L F1 >= 0.8 or exact).%n",
                local, n, 100.0 * local / n, reachable, 100.0 * reachable / n, 100.0 * local / reachable,
                local == 0 ? 0 : 100.0 * accepted / local));
        return sb.toString();
    }

    private static String row(List<Result> w, int from, int to) {
        long local = w.stream().filter(Result::local).count();
        long reachable = w.stream().filter(r -> !r.firstOfGroup()).count();
        long accepted = w.stream().filter(r -> r.local() && r.accepted()).count();
        long saved = w.stream().filter(Result::local).mapToLong(Result::outputTokens).sum();
        long[] lat = w.stream().filter(Result::local).mapToLong(Result::latencyMicros).sorted().toArray();
        long[] fwd = w.stream().filter(r -> !r.local()).mapToLong(Result::latencyMicros).sorted().toArray();
        return String.format(Locale.ROOT, "| %d–%d | %.1f%% | %s | %s | %.1f%% | %s | %s | %d |%n", from + 1, to,
                100.0 * local / w.size(), reachable == 0 ? "–" : String.format(Locale.ROOT, "%.1f%%",
                        100.0 * local / reachable),
                local == 0 ? "–" : String.format(Locale.ROOT, "%.1f%%", 100.0 * accepted / local),
                100.0 * (local - accepted) / w.size(), percentiles(lat), percentiles(fwd), saved);
    }

    private static String percentiles(long[] sorted) {
        if (sorted.length == 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.1f / %.1f", sorted[(int) (0.50 * (sorted.length - 1))] / 1000.0,
                sorted[(int) Math.ceil(0.99 * (sorted.length - 1))] / 1000.0);
    }

    /** The judge's own ROUGE-L F1: lower-cased whitespace tokens, independent of the router's tokenizer. */
    static double rougeL(String candidate, String reference) {
        String[] c = candidate.toLowerCase(Locale.ROOT).trim().split("\\s+");
        String[] r = reference.toLowerCase(Locale.ROOT).trim().split("\\s+");
        int[][] lcs = new int[c.length + 1][r.length + 1];
        for (int i = 1; i <= c.length; i++) {
            for (int j = 1; j <= r.length; j++) {
                lcs[i][j] = c[i - 1].equals(r[j - 1]) ? lcs[i - 1][j - 1] + 1 : Math.max(lcs[i - 1][j], lcs[i][j - 1]);
            }
        }
        int l = lcs[c.length][r.length];
        if (l == 0) {
            return 0;
        }
        double p = (double) l / c.length;
        double rec = (double) l / r.length;
        return 2 * p * rec / (p + rec);
    }

    private static List<Line> read(Path workload) throws IOException {
        List<Line> out = new ArrayList<>();
        for (String s : Files.readAllLines(workload)) {
            if (s.isBlank()) {
                continue;
            }
            JsonObject o = Json.createReader(new StringReader(s)).readObject();
            out.add(new Line(o.getString("prompt"), o.getString("reference"), o.getString("group"),
                    o.getString("kind", "")));
        }
        return out;
    }

    private static String lastUserText(JsonObject request) {
        var messages = request.getJsonArray("messages");
        var last = messages.getJsonObject(messages.size() - 1);
        return last.getString("content", "");
    }

    private LearningBench() {
    }
}
