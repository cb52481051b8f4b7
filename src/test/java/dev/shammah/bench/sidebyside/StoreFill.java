package dev.shammah.bench.sidebyside;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fills a Shammah's memory before it is measured: {@code size} fresh prompts forwarded, spread over
 * {@link #TENANTS} client keys (each its own tenant with {@code upstream.forward-client-key}). Learning runs off the
 * request's path with a bounded queue that drops what it cannot keep up with, so the fill paces itself by the
 * daemon's {@code /metrics}: after each {@value #BATCH} requests it waits until learning is at most one batch behind.
 */
final class StoreFill {
    static final int TENANTS = 100;
    private static final int BATCH = 100;

    private StoreFill() {
    }

    /** Returns the exchanges the memory holds once learning has settled. */
    static long run(int port, int size) throws Exception {
        try (KeepAliveConnection conn = new KeepAliveConnection(port)) {
            for (int i = 0; i < size; i++) {
                Map<String, String> h = new LinkedHashMap<>();
                h.put("content-type", "application/json");
                h.put("x-api-key", "sk-bench-tenant-" + (i % TENANTS));
                h.put("anthropic-version", "2023-06-01");
                conn.post("/v1/messages", h, Prompts.body("Filler question " + i + ": "
                        + Prompts.WORDS[i % Prompts.WORDS.length] + "?", false));
                if ((i + 1) % BATCH == 0) {
                    settle(port, i + 1 - BATCH, 30_000);
                }
            }
        }
        return settle(port, size, 60_000);
    }

    /** Waits (at most {@code millis}) until the memory holds {@code wanted} exchanges; returns what it holds. */
    private static long settle(int port, long wanted, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        long now = -1;
        while (System.currentTimeMillis() < deadline) {
            LearningCounts counts = LearningCounts.read(port);
            now = counts == null ? -1 : counts.stored();
            if (now >= wanted) {
                return now;
            }
            Thread.sleep(50);
        }
        return now;
    }
}
