package dev.shammah.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.shammah.testsupport.FakeAnthropic;

/**
 * {@code scripts/bench}: Shammah's serving figures on this machine, against the fake upstream on loopback.
 * Starts a real daemon (child process, learning off so the forward path is measured alone) and reports:
 * cold start; added latency of the forward path at fixed request rates (open loop: each request is sent at
 * its scheduled time and timed from then, so a slow server cannot slow the load down), for JSON and for
 * time-to-first-event of streams, against calling the fake directly; /health throughput; many concurrent SSE
 * streams held open; heap for many idle sessions.
 */
public final class LoadBench {
    private static final String BODY = "{\"model\":\"claude-bench\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"ping\"}]}";
    private static final String STREAM_BODY = BODY.replace("\"max_tokens\":16", "\"max_tokens\":16,\"stream\":true");

    private final HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor())
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final StringBuilder report = new StringBuilder();

    public static void main(String[] args) throws Exception {
        int seconds = 10;
        List<Integer> rates = List.of(100, 500, 1000);
        int streams = 10_000;
        int holdSeconds = 30;
        int sessions = 10_000;
        Path markdown = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--rates" -> rates = java.util.Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
                case "--streams" -> streams = Integer.parseInt(args[++i]);
                case "--hold-seconds" -> holdSeconds = Integer.parseInt(args[++i]);
                case "--sessions" -> sessions = Integer.parseInt(args[++i]);
                case "--markdown" -> markdown = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        LoadBench b = new LoadBench();
        b.run(seconds, rates, streams, holdSeconds, sessions);
        System.out.print(b.report);
        if (markdown != null) {
            Files.writeString(markdown, b.report.toString());
        }
        System.exit(0);
    }

    private void line(String s) {
        report.append(s).append('\n');
        System.err.println(s);
    }

    private void run(int seconds, List<Integer> rates, int streams, int holdSeconds, int sessions) throws Exception {
        FakeAnthropic fake = FakeAnthropic.start();
        fake.answerWith(r -> "pong");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path data = Files.createTempDirectory("shammah-load");
        long t0 = System.nanoTime();
        Process daemon = startDaemon(fake.baseUrl(), data, port, sessions);
        URI base = URI.create("http://127.0.0.1:" + port);
        try {
            long health = awaitHealthy(base, t0);
            long first = time(() -> post(base.resolve("/v1/messages"), BODY));
            line(String.format(Locale.ROOT, "## Cold start%n%nProcess start to first `200 /health`: **%.2f s**; "
                    + "then the first forwarded `/v1/messages`: %.0f ms (JIT cold).%n", health / 1e9, first / 1e6));

            line("## Added latency of the forward path\n");
            line("Open loop, " + seconds + " s per rate, fake upstream answering at once. *Direct* calls the fake; "
                    + "*via* calls Shammah, which forwards to it. *Added* is via minus direct at each percentile; "
                    + "*overhead header* is Shammah's own `x-shammah-overhead-ms` (its time minus the upstream's, per "
                    + "request).\n");
            line("| mode | rate (req/s) | sent | errors | direct p50 / p95 / p99 ms | via p50 / p95 / p99 ms "
                    + "| added p50 / p95 / p99 ms | overhead header p50 / p99 ms |");
            line("|---|---|---|---|---|---|---|---|");
            warmUp(base.resolve("/v1/messages"), fake.baseUrl().resolve("/v1/messages"));
            for (boolean stream : new boolean[] {false, true}) {
                for (int rate : rates) {
                    Run direct = openLoop(fake.baseUrl().resolve("/v1/messages"), stream, rate, seconds);
                    Run via = openLoop(base.resolve("/v1/messages"), stream, rate, seconds);
                    line(String.format(Locale.ROOT, "| %s | %d | %d | %d | %s | %s | %s | %s |",
                            stream ? "stream (time to first event)" : "JSON", rate, via.sent, via.errors + direct.errors,
                            pcts(direct.micros), pcts(via.micros), added(direct.micros, via.micros),
                            stream ? "–" : pcts2(via.overheadMicros)));
                }
            }
            line("");
            healthThroughput(base, 10);
            manyStreams(base, fake, streams, holdSeconds);
            idleSessions(base, daemon, sessions);
        } finally {
            daemon.destroy();
            daemon.waitFor(30, TimeUnit.SECONDS);
            fake.close();
        }
    }

    private Process startDaemon(URI fake, Path data, int port, int sessions) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(System.getProperty("java.home") + "/bin/java",
                "--enable-native-access=ALL-UNNAMED", "-Dai.djl.offline=true", "-jar", "target/shammah.jar", "daemon",
                "--bind", "127.0.0.1:" + port, "--data-dir", data.toString());
        pb.environment().put("ANTHROPIC_API_KEY", FakeAnthropic.API_KEY);
        pb.environment().put("SHAMMAH_UPSTREAM_BASE_URL", fake.toString());
        pb.environment().put("SHAMMAH_LEARNING_ENABLED", "false");
        pb.environment().put("SHAMMAH_SERVER_MAX_SESSIONS", Integer.toString(sessions + 1000));
        pb.redirectErrorStream(true).redirectOutput(data.resolve("daemon.log").toFile());
        return pb.start();
    }

    private long awaitHealthy(URI base, long t0) throws Exception {
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return System.nanoTime() - t0;
                }
            } catch (IOException e) {
                Thread.sleep(5);
            }
            if (System.nanoTime() - t0 > 60e9) {
                throw new IllegalStateException("daemon did not start");
            }
        }
    }

    private interface Call {
        void run() throws Exception;
    }

    private static long time(Call c) throws Exception {
        long s = System.nanoTime();
        c.run();
        return System.nanoTime() - s;
    }

    private HttpResponse<String> post(URI uri, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("content-type", "application/json")
                .header("x-api-key", FakeAnthropic.API_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + r.statusCode() + " " + r.body());
        }
        return r;
    }

    private void warmUp(URI via, URI direct) throws Exception {
        for (int i = 0; i < 2000; i++) {
            post(via, BODY);
            post(direct, BODY);
        }
    }

    /** Results of one open-loop run. */
    private record Run(int sent, int errors, List<Long> micros, List<Long> overheadMicros) {
    }

    private Run openLoop(URI uri, boolean stream, int rate, int seconds) throws Exception {
        int total = rate * seconds;
        ConcurrentLinkedQueue<Long> lat = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> over = new ConcurrentLinkedQueue<>();
        AtomicInteger errors = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(total);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        long start = System.nanoTime();
        long interval = 1_000_000_000L / rate;
        AtomicInteger issued = new AtomicInteger();
        ticker.scheduleAtFixedRate(() -> {
            // Catch up on every tick that is due: the schedule, not the server, sets the pace.
            long due = Math.min(total, (System.nanoTime() - start) / interval + 1);
            while (issued.get() < due) {
                long scheduled = start + issued.getAndIncrement() * interval;
                Thread.ofVirtual().start(() -> {
                    try {
                        HttpRequest req = HttpRequest.newBuilder(uri).header("content-type", "application/json")
                                .header("x-api-key", FakeAnthropic.API_KEY)
                                .POST(HttpRequest.BodyPublishers.ofString(stream ? STREAM_BODY : BODY)).build();
                        if (stream) {
                            HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
                            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body()))) {
                                String l = in.readLine();
                                lat.add((System.nanoTime() - scheduled) / 1000);
                                while (l != null) {
                                    l = in.readLine();
                                }
                            }
                            if (r.statusCode() != 200) {
                                errors.incrementAndGet();
                            }
                        } else {
                            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                            lat.add((System.nanoTime() - scheduled) / 1000);
                            if (r.statusCode() != 200) {
                                errors.incrementAndGet();
                            }
                            r.headers().firstValue("x-shammah-overhead-ms")
                                    .ifPresent(v -> over.add((long) (Double.parseDouble(v) * 1000)));
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    } finally {
                        done.countDown();
                    }
                });
            }
        }, 0, Math.max(1, interval / 1000), TimeUnit.MICROSECONDS);
        done.await(seconds + 60L, TimeUnit.SECONDS);
        ticker.shutdownNow();
        return new Run(total, errors.get() + (int) done.getCount(), sorted(lat), sorted(over));
    }

    private void healthThroughput(URI base, int seconds) throws Exception {
        String wrk = System.getenv("WRK");
        if (wrk != null && !wrk.isBlank()) {
            // wrk (C, epoll) measures the server rather than the JDK client's own limits.
            Process p = new ProcessBuilder(wrk, "-t2", "-c64", "-d" + seconds + "s", base.resolve("/health").toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            Matcher rps = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
            Matcher non2xx = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)").matcher(out);
            Matcher errors = Pattern.compile("Socket errors:[^\\n]*").matcher(out);
            line(String.format(Locale.ROOT, "## /health throughput%n%nwrk, 2 threads, 64 connections, %d s, same 2-core "
                    + "machine as the server: **%s req/s**; non-2xx: %s; %s.%n", seconds,
                    rps.find() ? rps.group(1) : "?", non2xx.find() ? non2xx.group(1) : "0",
                    errors.find() ? errors.group() : "no socket errors"));
            return;
        }
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        int workers = 64;
        CountDownLatch done = new CountDownLatch(workers);
        HttpRequest req = HttpRequest.newBuilder(base.resolve("/health")).build();
        for (int w = 0; w < workers; w++) {
            Thread.ofVirtual().start(() -> {
                try {
                    while (System.nanoTime() < end) {
                        try {
                            if (http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                                ok.incrementAndGet();
                            } else {
                                failed.incrementAndGet();
                            }
                        } catch (Exception e) {
                            failed.incrementAndGet();
                        }
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        line(String.format(Locale.ROOT, "## /health throughput%n%nClosed loop, %d concurrent clients (JDK HttpClient, "
                + "same machine), %d s: **%.0f req/s**, %d errors.%n", workers, seconds, ok.get() / (double) seconds,
                failed.get()));
    }

    private void manyStreams(URI base, FakeAnthropic fake, int n, int holdSeconds) throws Exception {
        // The answer "pong" is 2 content events; 8 events in all, so each waits holdSeconds/8.
        fake.eventDelay(Duration.ofMillis(holdSeconds * 1000L / 8));
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger open = new AtomicInteger();
        AtomicInteger maxOpen = new AtomicInteger();
        List<String> firstErrors = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(n);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Thread.ofVirtual().start(() -> {
                try {
                    HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(base.resolve("/v1/messages"))
                            .header("content-type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(STREAM_BODY)).build(),
                            HttpResponse.BodyHandlers.ofInputStream());
                    maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                    boolean stopped = false;
                    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body()))) {
                        String l;
                        while ((l = in.readLine()) != null) {
                            stopped |= l.equals("event: message_stop");
                        }
                    } finally {
                        open.decrementAndGet();
                    }
                    if (stopped) {
                        completed.incrementAndGet();
                    } else {
                        errors.incrementAndGet();
                    }
                } catch (Exception e) {
                    errors.incrementAndGet();
                    if (firstErrors.size() < 3) {
                        firstErrors.add(e.getClass().getSimpleName() + ": " + e.getMessage());
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        done.await(holdSeconds + 300L, TimeUnit.SECONDS);
        double took = (System.nanoTime() - start) / 1e9;
        fake.eventDelay(Duration.ZERO);
        line(String.format(Locale.ROOT, "## Concurrent SSE streams%n%n%d streams opened at once, each held ~%d s by the "
                + "fake upstream: **%d completed** with `message_stop`, **%d errors**%s; at most %d open at the same time; "
                + "all done in %.1f s.%n", n, holdSeconds, completed.get(), errors.get(),
                firstErrors.isEmpty() ? "" : " (first: " + String.join("; ", firstErrors) + ")", maxOpen.get(), took));
    }

    private void idleSessions(URI base, Process daemon, int n) throws Exception {
        long before = heapAfterGc(base, daemon);
        URI messages = base.resolve("/v1/messages");
        for (int i = 0; i < n; i++) {
            post(messages, BODY.replace("ping", "ping " + i) .replace("\"max_tokens\":16",
                    "\"max_tokens\":16,\"session_id\":\"bench_" + i + "\""));
        }
        long after = heapAfterGc(base, daemon);
        line(String.format(Locale.ROOT, "## Idle sessions%n%n%d sessions (one turn each: a user message and the "
                + "assistant's answer), heap after a full GC: %.1f MB before, **%.1f MB after** (+%.1f MB, %.1f KB "
                + "per session).%n", n, before / 1e6, after / 1e6, (after - before) / 1e6, (after - before) / 1e3 / n));
    }

    private long heapAfterGc(URI base, Process daemon) throws Exception {
        new ProcessBuilder(System.getProperty("java.home") + "/bin/jcmd", Long.toString(daemon.pid()), "GC.run")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        Thread.sleep(500);
        String metrics = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("^memory_usedHeap_bytes\\{[^}]*\\}\\s+([0-9.eE+-]+)$", Pattern.MULTILINE)
                .matcher(metrics);
        long sum = 0;
        while (m.find()) {
            sum += (long) Double.parseDouble(m.group(1));
        }
        return sum;
    }

    private static List<Long> sorted(ConcurrentLinkedQueue<Long> q) {
        List<Long> l = new ArrayList<>(q);
        Collections.sort(l);
        return l;
    }

    private static double p(List<Long> s, double q) {
        return s.isEmpty() ? Double.NaN : s.get((int) Math.ceil(q * (s.size() - 1))) / 1000.0;
    }

    private static String pcts(List<Long> s) {
        return String.format(Locale.ROOT, "%.2f / %.2f / %.2f", p(s, 0.5), p(s, 0.95), p(s, 0.99));
    }

    private static String pcts2(List<Long> s) {
        return String.format(Locale.ROOT, "%.2f / %.2f", p(s, 0.5), p(s, 0.99));
    }

    private static String added(List<Long> direct, List<Long> via) {
        return String.format(Locale.ROOT, "%.2f / %.2f / %.2f", p(via, 0.5) - p(direct, 0.5), p(via, 0.95)
                - p(direct, 0.95), p(via, 0.99) - p(direct, 0.99));
    }

    private LoadBench() {
    }
}
