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

import dev.shammah.learning.RewordGuard;
import dev.shammah.learning.Learning;
import dev.shammah.local.Encoder;
import dev.shammah.local.OnnxEncoder;
import dev.shammah.routing.Courtesy;
import dev.shammah.testsupport.FakeAnthropic;
import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * {@code scripts/bench-learning WORKLOAD.jsonl}: replays a workload through a real Shammah daemon (a child
 * process from target/shammah.jar, fresh data dir, shipped defaults) with the fake upstream as the teacher,
 * which answers every prompt with its line's {@code reference}. A right local answer therefore <em>is</em> the
 * reference text, and every local answer is judged by exact equality: anything else is a wrong local answer.
 * Prints a table per 10% of the stream and a summary at the shipped {@code learning.max-wrong-rate}, the same
 * by workload kind, a static cosine-threshold cache's figures on the same workload, then a
 * precision / local-share curve: the same replay once per value of {@code --max-wrong-rates}.
 */
public final class LearningBench {
    private record Line(String prompt, String reference, String group, String kind) {
    }

    /** @param refused answered 402 {@code billing_error}: the tenant's teacher budget was spent (usage.*-budget) */
    private record Result(boolean local, boolean firstOfGroup, boolean right, long latencyMicros, long outputTokens,
                          String kind, boolean exactRepeat, boolean refused) {
        Result(boolean local, boolean firstOfGroup, boolean right, long latencyMicros, long outputTokens, String kind,
               boolean exactRepeat) {
            this(local, firstOfGroup, right, latencyMicros, outputTokens, kind, exactRepeat, false);
        }
    }

    /** One replay's outcome. */
    private record Run(List<Result> results, int teacherCalls, double seconds, JsonObject status, List<String> trace) {
    }

    /**
     * {@code --format openai}: every request is sent to {@code POST /v1/chat/completions} in OpenAI's format and its
     * answer read from OpenAI's shape, to show the same learning serves those clients alike.
     */
    private static boolean openAi;

    /**
     * {@code --settle}: after each forwarded request, wait until learning and the rewordings observer have nothing
     * queued before the next request. Back to back with an instant teacher the paced observer trails the stream (it
     * yields to requests), so what a replay learns would depend on the machine's speed; settled, a fast replay
     * learns what a stream with pauses between requests would, in about the time the work takes.
     */
    private static boolean settle;

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: LearningBench WORKLOAD.jsonl [--teacher-latency-ms N] [--markdown FILE] "
                    + "[--keep-data DIR] [--trace FILE] [--settle] "
                    + "[--max-wrong-rates 0.0001,0.001,0.01,0.1] [--model-path DIR] [--format anthropic|openai]");
            System.exit(2);
        }
        Path workload = Path.of(args[0]);
        long teacherLatency = 100;
        Path markdown = null;
        List<String> curve = List.of("0.0001", "0.001", "0.01", "0.1");
        Map<String, String> extra = new HashMap<>();
        Path keep = null;
        Path trace = null;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--teacher-latency-ms" -> teacherLatency = Long.parseLong(args[++i]);
                case "--markdown" -> markdown = Path.of(args[++i]);
                case "--max-wrong-rates" -> curve = List.of(args[++i].split(","));
                case "--model-path" -> extra.put("SHAMMAH_MODEL_PATH", args[++i]);
                case "--keep-data" -> keep = Path.of(args[++i]);
                case "--trace" -> trace = Path.of(args[++i]);
                case "--settle" -> settle = true;
                case "--format" -> {
                    String f = args[++i];
                    if (!f.equals("openai") && !f.equals("anthropic")) {
                        throw new IllegalArgumentException("--format is anthropic or openai");
                    }
                    openAi = f.equals("openai");
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<Line> lines = read(workload);
        Map<String, String> references = new HashMap<>();
        lines.forEach(l -> references.put(l.prompt(), l.reference()));
        try (FakeAnthropic teacher = FakeAnthropic.start()) {
            long latency = teacherLatency;
            // Each replay resets the fake (its counts): it is told again how to answer every time.
            Runnable teach = () -> {
                teacher.answerWith(request -> references.getOrDefault(lastUserText(request), "I do not know."));
                teacher.delay(Duration.ofMillis(latency));
            };

            StringBuilder report = new StringBuilder();
            Run main = replay(teacher, teach, lines, extra, keep);
            if (trace != null) {
                Files.write(trace, main.trace());
            }
            report.append(String.format(Locale.ROOT, "Workload %s: %d requests, teacher = fake upstream answering "
                    + "each prompt with its reference after %d ms; shipped defaults (learning.max-wrong-rate 0.001, "
                    + "learning.verify-rate 0.05); judge = exact equality with the reference; requests in %s%s; "
                    + "wall time %.1f s.%n%n",
                    workload.getFileName(), lines.size(), teacherLatency,
                    openAi ? "OpenAI's format (POST /v1/chat/completions)" : "Anthropic's format (POST /v1/messages)",
                    settle ? ", each forward followed by a wait until learning had nothing queued (--settle)" : "",
                    main.seconds()));
            report.append(table(main.results()));
            report.append(summary(main));
            report.append("\nBy kind (Shammah, shipped defaults):\n\n");
            report.append(KindTable.of(main.results().stream()
                    .map(x -> new KindTable.Outcome(x.kind(), x.local(), x.right(), x.exactRepeat())).toList()));
            report.append(staticCosineCache(lines));
            report.append(ShadowTable.of(main.status()));

            report.append(String.format(Locale.ROOT, "%nPrecision vs local share (one replay per "
                    + "learning.max-wrong-rate, same workload and teacher):%n%n"));
            report.append("| learning.max-wrong-rate | local answers | local share | share of reachable "
                    + "| wrong local | precision | not exact repeats, local | wrong of those | local share by kind "
                    + "| teacher calls |\n|---|---|---|---|---|---|---|---|---|---|\n");
            for (String rate : curve) {
                Map<String, String> env = new HashMap<>(extra);
                env.put("SHAMMAH_LEARNING_MAX_WRONG_RATE", rate.trim());
                Run r = replay(teacher, teach, lines, env);
                long local = r.results().stream().filter(Result::local).count();
                long wrong = r.results().stream().filter(x -> x.local() && !x.right()).count();
                long reachable = r.results().stream().filter(x -> !x.firstOfGroup()).count();
                // Exact repeats are right for any cache: the rest is where other words were trusted.
                long otherLocal = r.results().stream().filter(x -> x.local() && !x.exactRepeat()).count();
                long otherWrong = r.results().stream().filter(x -> x.local() && !x.exactRepeat() && !x.right()).count();
                report.append(String.format(Locale.ROOT, "| %s | %d | %.1f%% | %.1f%% | %d | %s | %d | %d (%s) | %s | %d |%n",
                        rate.trim(), local, 100.0 * local / lines.size(), 100.0 * local / Math.max(1, reachable), wrong,
                        local == 0 ? "–" : String.format(Locale.ROOT, "%.2f%%", 100.0 * (local - wrong) / local),
                        otherLocal, otherWrong, KindTable.share(otherWrong, otherLocal), byKind(r.results()),
                        r.teacherCalls()));
            }
            System.out.print(report);
            if (markdown != null) {
                Files.writeString(markdown, report.toString());
            }
        }
    }

    private static String byKind(List<Result> results) {
        return KindTable.byKind(results.stream()
                .map(x -> new KindTable.Outcome(x.kind(), x.local(), x.right(), x.exactRepeat())).toList());
    }

    /** The frontier every other figure is read against: a plain cosine-threshold cache on the same workload. */
    private static String staticCosineCache(List<Line> lines) {
        List<StaticCosineCache.Line> in = lines.stream()
                .map(l -> new StaticCosineCache.Line(l.prompt(), l.reference(), l.kind())).toList();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%nStatic cosine cache (nearest earlier "
                + "prompt by cosine over the product's all-MiniLM-L6-v2 vectors, served if cosine >= t; in the bench "
                + "process, same workload, same judge):%n"));
        try (OnnxEncoder miniLm = new OnnxEncoder(OnnxEncoder.Model.MINI_LM)) {
            StaticCosineCache.replays(in, miniLm, 0.80, 0.90, 0.95).forEach((t, outcomes) -> sb.append(String.format(
                    Locale.ROOT, "%nt = %.2f%n%n", t)).append(KindTable.of(outcomes)));
            // The same thresholds over the score Shammah serves rewordings by, with its guard and ambiguity check and
            // no evidence: the frontier a fixed threshold reaches with the product's representation and rules.
            Encoder encoder = Learning.rewordingEncoder(miniLm);
            sb.append(String.format(Locale.ROOT, "%nStatic frontier over Shammah's rewording score (the mean of the "
                    + "all-MiniLM-L6-v2 and bge-small-en-v1.5 cosines), plain and with its guard and ambiguity "
                    + "check (no evidence), and the ceiling (any stored prompt at t or more with the request's answer: a perfect "
                    + "judge over the same neighbours):%n%n| t | cache | not exact repeats, local | wrong of those | local "
                    + "share by kind |%n|---|---|---|---|---|%n"));
            Map<String, float[]> vectors = new HashMap<>();
            RewordGuard guard = new RewordGuard(Courtesy.builtIn());
            for (double t : new double[] {0.80, 0.85, 0.88, 0.90, 0.95}) {
                for (RewordGuard g : java.util.Arrays.asList(null, guard)) {
                    List<KindTable.Outcome> o = StaticCosineCache.replay(in, encoder, t, vectors, g);
                    long other = o.stream().filter(x -> x.local() && !x.exactRepeat()).count();
                    long wrong = o.stream().filter(x -> x.local() && !x.exactRepeat() && !x.right()).count();
                    sb.append(String.format(Locale.ROOT, "| %.2f | %s | %d | %d (%s) | %s |%n", t,
                            g == null ? "plain" : "guarded", other, wrong, KindTable.share(wrong, other),
                            KindTable.byKind(o)));
                }
                List<KindTable.Outcome> o = StaticCosineCache.ceiling(in, encoder, t, vectors);
                sb.append(String.format(Locale.ROOT, "| %.2f | ceiling | %d | – | %s |%n", t,
                        o.stream().filter(x -> x.local() && !x.exactRepeat()).count(), KindTable.byKind(o)));
            }
        }
        return sb.toString();
    }

    /** One replay with a fresh daemon; {@code keep}, when given, is its data dir, left for the user afterwards. */
    private static Run replay(FakeAnthropic teacher, Runnable teach, List<Line> lines, Map<String, String> env)
            throws Exception {
        return replay(teacher, teach, lines, env, null);
    }

    private static Run replay(FakeAnthropic teacher, Runnable teach, List<Line> lines, Map<String, String> env,
                              Path keep)
            throws Exception {
        teacher.reset();
        teach.run();
        Path data = keep == null ? Files.createTempDirectory("shammah-bench") : Files.createDirectories(keep);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process daemon = startDaemon(teacher.baseUrl(), data, port, env);
        HttpClient http = HttpClient.newHttpClient();
        URI messages = URI.create("http://127.0.0.1:" + port + (openAi ? "/v1/chat/completions" : "/v1/messages"));
        List<Result> results = new ArrayList<>();
        // One line per request, for looking into a run: where it went, why, and whether its answer was right.
        List<String> trace = new ArrayList<>(List.of("n\tkind\tgroup\troute\treason\tright"));
        Set<String> seen = new HashSet<>();
        Set<String> asked = new HashSet<>();
        JsonObject status;
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
                if (res.statusCode() == 402) {
                    // A teacher budget set for the run is spent: counted, and the replay goes on (what is local is
                    // still answered).
                    results.add(new Result(false, seen.add(l.group()), false, micros, 0, l.kind(),
                            !asked.add(l.prompt()), true));
                    continue;
                }
                if (res.statusCode() != 200) {
                    throw new IllegalStateException("HTTP " + res.statusCode() + ": " + res.body());
                }
                JsonObject answer = Json.createReader(new StringReader(res.body())).readObject();
                String text = openAi
                        ? answer.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content", "")
                        : answer.getJsonArray("content").getJsonObject(0).getString("text", "");
                int outputTokens = openAi ? answer.getJsonObject("usage").getInt("completion_tokens")
                        : answer.getJsonObject("usage").getInt("output_tokens");
                boolean local = "local".equals(res.headers().firstValue("x-shammah-route").orElse(""));
                if (settle && !local) {
                    settle(http, port);
                }
                results.add(new Result(local, seen.add(l.group()), text.equals(l.reference()), micros,
                        outputTokens, l.kind(), !asked.add(l.prompt())));
                trace.add(results.size() + "\t" + l.kind() + "\t" + l.group() + "\t" + (local ? "local" : "forward")
                        + "\t" + res.headers().firstValue("x-shammah-reason").orElse("") + "\t"
                        + text.equals(l.reference()));
            }
            // Verifications run off the request's path: let the last ones reach the teacher before counting.
            Thread.sleep(500);
            status = settledStatus(http, port);
        } finally {
            daemon.destroy();
            daemon.waitFor();
            if (keep == null) {
                dev.shammah.testsupport.TempDirs.delete(data);
            }
        }
        return new Run(results, teacher.received("/v1/messages").size(), (System.nanoTime() - wall) / 1e9, status,
                trace);
    }

    /** The daemon's {@code /v1/training/status} once its learning queues are empty (at most 30 s). */
    /** After each forward with {@code --settle}: empty twice, 5 ms apart, at most 10 s. */
    private static void settle(HttpClient http, int port) throws Exception {
        settledStatus(http, port, Duration.ofMillis(5), Duration.ofSeconds(10));
    }

    /** At the end of a replay: empty twice, 200 ms apart, at most 30 s. */
    private static JsonObject settledStatus(HttpClient http, int port) throws Exception {
        return settledStatus(http, port, Duration.ofMillis(200), Duration.ofSeconds(30));
    }

    /**
     * The training status once learning's queue and the rewordings observer's are empty at two reads {@code gap}
     * apart (a task in hand at the first read has finished, and queued what follows it, by the second), or when
     * {@code limit} has passed.
     */
    private static JsonObject settledStatus(HttpClient http, int port, Duration gap, Duration limit) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + port + "/v1/training/status");
        long deadline = System.nanoTime() + limit.toNanos();
        boolean emptyBefore = false;
        while (true) {
            JsonObject status = Json.createReader(new StringReader(http.send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString()).body())).readObject();
            JsonObject r = status.getJsonObject("rewordings");
            boolean empty = status.getJsonObject("learning_queue").getInt("queued") == 0
                    && (r == null || r.getInt("queued") == 0);
            if ((empty && emptyBefore) || System.nanoTime() > deadline) {
                return status;
            }
            emptyBefore = empty;
            Thread.sleep(gap.toMillis());
        }
    }

    private static Process startDaemon(URI teacher, Path data, int port, Map<String, String> env) throws IOException {
        String javaHome = System.getProperty("java.home");
        ProcessBuilder pb = new ProcessBuilder(javaHome + "/bin/java", "--enable-native-access=ALL-UNNAMED",
                "-Dai.djl.offline=true", "-jar", "target/shammah.jar", "daemon", "--bind", "127.0.0.1:" + port,
                "--data-dir", data.toString());
        pb.environment().put("ANTHROPIC_API_KEY", FakeAnthropic.API_KEY);
        pb.environment().put("SHAMMAH_UPSTREAM_BASE_URL", teacher.toString());
        pb.environment().putAll(env);
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

    static String table(List<Result> results) {
        StringBuilder sb = new StringBuilder();
        int n = results.size();
        sb.append("| requests | local share | share of reachable | wrong local | p50 / p99 local ms "
                + "| p50 / p99 forward ms | teacher output tokens saved |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        int step = Math.max(1, n / 10);
        for (int from = 0; from < n; from += step) {
            int to = Math.min(n, from + step);
            sb.append(row(results.subList(from, to), from, to));
        }
        sb.append(row(results, 0, n).replaceFirst("\\| 1–", "| **all** 1–"));
        return sb.toString();
    }

    static String summary(Run run) {
        List<Result> results = run.results();
        int n = results.size();
        long local = results.stream().filter(Result::local).count();
        long reachable = results.stream().filter(r -> !r.firstOfGroup()).count();
        long wrong = results.stream().filter(r -> r.local() && !r.right()).count();
        return String.format(Locale.ROOT, "%nOverall: %d of %d answered locally (%.1f%%); %d could have been (their "
                        + "group was seen before: theoretical maximum %.1f%%), so %.1f%% of the reachable share. "
                        + "Wrong local answers (not exactly the reference): %d (%.2f%% of requests, %.2f%% of local "
                        + "answers). Teacher calls: %d (forwards and verifications).%n",
                local, n, 100.0 * local / n, reachable, 100.0 * reachable / n, 100.0 * local / Math.max(1, reachable),
                wrong, 100.0 * wrong / n, local == 0 ? 0 : 100.0 * wrong / local, run.teacherCalls())
                + refusals(results);
    }

    /** With a teacher budget set (SHAMMAH_USAGE_DEFAULT_BUDGET_*): how many were refused, and what stayed local. */
    private static String refusals(List<Result> results) {
        int first = -1;
        for (int i = 0; i < results.size() && first < 0; i++) {
            first = results.get(i).refused() ? i : -1;
        }
        if (first < 0) {
            return "";
        }
        List<Result> after = results.subList(first, results.size());
        long refused = after.stream().filter(Result::refused).count();
        long local = after.stream().filter(Result::local).count();
        long localWrong = after.stream().filter(r -> r.local() && !r.right()).count();
        return String.format(Locale.ROOT, "Teacher budget spent at request %d: from then on %d refused (402 "
                + "billing_error), %d of %d answered locally (%d wrong).%n", first + 1, refused, local, after.size(),
                localWrong);
    }

    private static String row(List<Result> w, int from, int to) {
        long local = w.stream().filter(Result::local).count();
        long reachable = w.stream().filter(r -> !r.firstOfGroup()).count();
        long wrong = w.stream().filter(r -> r.local() && !r.right()).count();
        long saved = w.stream().filter(Result::local).mapToLong(Result::outputTokens).sum();
        long[] lat = w.stream().filter(Result::local).mapToLong(Result::latencyMicros).sorted().toArray();
        long[] fwd = w.stream().filter(r -> !r.local() && !r.refused()).mapToLong(Result::latencyMicros).sorted().toArray();
        return String.format(Locale.ROOT, "| %d–%d | %.1f%% | %s | %d | %s | %s | %d |%n", from + 1, to,
                100.0 * local / w.size(), reachable == 0 ? "–" : String.format(Locale.ROOT, "%.1f%%",
                        100.0 * local / reachable), wrong, percentiles(lat), percentiles(fwd), saved);
    }

    private static String percentiles(long[] sorted) {
        if (sorted.length == 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.1f / %.1f", sorted[(int) (0.50 * (sorted.length - 1))] / 1000.0,
                sorted[(int) Math.ceil(0.99 * (sorted.length - 1))] / 1000.0);
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
