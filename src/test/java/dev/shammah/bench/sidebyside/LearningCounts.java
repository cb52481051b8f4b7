package dev.shammah.bench.sidebyside;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Shammah learned during a measurement, from its own /metrics: exchanges stored and answers it had no room to
 * learn from (dropped from the bounded learning queue), and the bytes of learned state kept outside the heap. A
 * throughput figure with learning on means little unless it says how much was actually learned.
 */
record LearningCounts(long stored, long dropped, long offHeapBytes) {
    private static final Pattern STORED = Pattern.compile("(?m)^shammah_memory_exchanges\\{[^}]*} ([0-9.E]+)");
    private static final Pattern DROPPED = Pattern.compile("(?m)^shammah_learning_dropped_total\\{[^}]*} ([0-9.E]+)");
    private static final Pattern OFF_HEAP = Pattern.compile("(?m)^shammah_learned_offheap_bytes\\{[^}]*} ([0-9.E]+)");

    /** The counts now, or null when /metrics could not be read. */
    static LearningCounts read(int port) {
        try (HttpClient client = HttpClient.newHttpClient()) {
            String body = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
            return new LearningCounts(number(STORED.matcher(body)), number(DROPPED.matcher(body)),
                    number(OFF_HEAP.matcher(body)));
        } catch (Exception e) {
            return null;
        }
    }

    private static long number(Matcher m) {
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }
}
