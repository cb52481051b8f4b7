package dev.shammah.bench.sidebyside;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Shammah with learning on under steady load ({@code wrk -c8}) for a while: does its heap keep growing as it learns
 * from every forwarded answer? Heap after a full GC is sampled before the load, every 30 s during it, and once after.
 */
final class Sustain {
    static final int CONNECTIONS = 8;
    private static final long SAMPLE_EVERY_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** Heap-after-GC and RSS samples, in bytes, in time order; and the load's own wrk figures. */
    record Result(int seconds, List<Long> heap, List<Long> rss, Wrk.Result load) {
        long first() {
            return heap.getFirst();
        }

        long last() {
            return heap.getLast();
        }

        long max() {
            return heap.stream().mapToLong(Long::longValue).max().orElse(-1);
        }

        String change() {
            return first() <= 0 ? "?" : String.format(Locale.ROOT, "%+.1f%%", 100.0 * (last() - first()) / first());
        }
    }

    private Sustain() {
    }

    static Result run(long pid, Wrk wrk, int port, Path script, int seconds) throws Exception {
        List<Long> heap = new ArrayList<>();
        List<Long> rss = new ArrayList<>();
        sample(pid, heap, rss);
        CompletableFuture<Wrk.Result> load = CompletableFuture.supplyAsync(() -> {
            try {
                return wrk.run(port, script, CONNECTIONS, seconds);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long start = System.nanoTime();
        long next = start + SAMPLE_EVERY_NANOS;
        while (!load.isDone()) {
            long wait = next - System.nanoTime();
            if (wait <= 0) {
                sample(pid, heap, rss);
                next += SAMPLE_EVERY_NANOS;
                continue;
            }
            try {
                load.get(wait, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // time for the next sample
            }
        }
        sample(pid, heap, rss);
        return new Result(seconds, heap, rss, load.get());
    }

    private static void sample(long pid, List<Long> heap, List<Long> rss) throws InterruptedException {
        heap.add(Memory.heapAfterGc(pid));
        rss.add(Memory.rssBytes(pid));
        System.err.printf(Locale.ROOT, "bench:   sustain sample %d: heap after GC %s MB, RSS %s MB%n", heap.size(),
                Memory.mb(heap.getLast()), Memory.mb(rss.getLast()));
    }
}
