package dev.shammah.metrics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.shammah.testsupport.JsonText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

class RequestLogTest {
    @TempDir
    Path data;

    static final Instant WHEN = Instant.parse("2026-03-04T05:06:07Z");

    /** Entry point of the second process in {@link #threadsAndAnotherProcessAppendWholeLines()}. */
    public static void main(String[] args) {
        RequestLog log = new RequestLog(Path.of(args[0]));
        for (int i = 0; i < Integer.parseInt(args[1]); i++) {
            log.append(entry("child_" + i));
        }
        log.close(); // lines are written off the caller's thread: a process that ends without closing may lose some
    }

    static RequestLogEntry entry(String id) {
        // A long line makes a torn write likely if locking were broken.
        return new RequestLogEntry(WHEN, id, "sess_x", "ab".repeat(32), "m".repeat(3000), "forward", false, 200,
                5, 3, 10, 20, null, null, null, -1, null);
    }

    @Test
    void threadsAndAnotherProcessAppendWholeLines() throws Exception {
        int perThread = 200;
        int childLines = 1000;
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                RequestLogTest.class.getName(), data.toString(), Integer.toString(childLines))
                .redirectErrorStream(true)
                .start();
        RequestLog a = new RequestLog(data);
        RequestLog b = new RequestLog(data);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                RequestLog log = t % 2 == 0 ? a : b;
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        log.append(entry("req_" + thread + "_" + i));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        a.flush();
        b.flush();
        assertThat(new String(child.getInputStream().readAllBytes()), child.waitFor(), is(0));
        Path file = data.resolve("metrics/2026-03-04.jsonl");
        List<String> lines = Files.readAllLines(file);
        assertThat(lines, hasSize(8 * perThread + childLines));
        Set<String> ids = new HashSet<>();
        for (String line : lines) {
            ids.add(JsonText.parse(line).getString("request_id")); // a torn line would not parse
        }
        assertThat(ids.size(), is(8 * perThread + childLines));
    }

    /** Lines written in one group (several threads at once) still go each to its own day's file, whole. */
    @Test
    void concurrentLinesOfTwoDaysGoEachToItsFile() throws Exception {
        RequestLog log = new RequestLog(data);
        Instant day1 = Instant.parse("2026-03-04T23:59:59Z");
        Instant day2 = Instant.parse("2026-03-05T00:00:01Z");
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                int n = i;
                futures.add(pool.submit(() -> log.append(new RequestLogEntry(n % 2 == 0 ? day1 : day2, "r" + n, null,
                        null, "m", "forward", false, 200, 1, 1, 1, 1, null, null, null, -1, null))));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        log.close();
        List<String> first = Files.readAllLines(data.resolve("metrics/2026-03-04.jsonl"));
        List<String> second = Files.readAllLines(data.resolve("metrics/2026-03-05.jsonl"));
        assertThat(first, hasSize(200));
        assertThat(second, hasSize(200));
        for (String line : first) {
            assertThat(Integer.parseInt(JsonText.parse(line).getString("request_id").substring(1)) % 2, is(0));
        }
    }

    @Test
    void theDaysFileStaysOpenRollsOverAtMidnightUtcAndReopensAfterClose() throws Exception {
        RequestLog log = new RequestLog(data);
        log.append(new RequestLogEntry(Instant.parse("2026-03-04T23:59:59Z"), "a", null, null, "m", "forward", false,
                200, 1, 1, 1, 1, null, null, null, -1, null));
        log.append(new RequestLogEntry(Instant.parse("2026-03-05T00:00:01Z"), "b", null, null, "m", "forward", false,
                200, 1, 1, 1, 1, null, null, null, -1, null));
        log.close();
        log.append(new RequestLogEntry(Instant.parse("2026-03-05T00:00:02Z"), "c", null, null, "m", "forward", false,
                200, 1, 1, 1, 1, null, null, null, -1, null));
        log.close();
        assertThat(Files.readAllLines(data.resolve("metrics/2026-03-04.jsonl")), hasSize(1));
        List<String> fifth = Files.readAllLines(data.resolve("metrics/2026-03-05.jsonl"));
        assertThat(fifth, hasSize(2));
        assertThat(JsonText.parse(fifth.get(1)).getString("request_id"), is("c"));
    }
}
