package dev.shammah.bench.sidebyside;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Shammah with learning on under steady load ({@code wrk -c8}) for a while: does its heap keep growing as it learns
 * from every forwarded answer? Heap after a full GC is sampled before the load, every 30 s during it, and once after,
 * each time with the exchanges its memory holds (its /metrics), so that growth can be told apart: what is learned
 * stays on purpose, and heap per exchange learned says what each one costs.
 */
final class Sustain {
    static final int CONNECTIONS = 8;
    private static final long SAMPLE_EVERY_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** Heap-after-GC and RSS samples, in bytes, and the memory's exchanges, in time order; the load's wrk figures. */
    record Result(int seconds, List<Long> heap, List<Long> rss, List<Long> exchanges, Wrk.Result load) {
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

        /** Exchanges the memory gained over the soak; -1 when its /metrics could not be read at either end. */
        long learned() {
            return exchanges.getFirst() < 0 || exchanges.getLast() < 0 ? -1
                    : exchanges.getLast() - exchanges.getFirst();
        }

        /** Heap after GC gained per exchange learned over the soak, in bytes ("?" when nothing was learned). */
        String bytesPerExchange() {
            return learned() <= 0 ? "?" : String.format(Locale.ROOT, "%.0f", (double) (last() - first()) / learned());
        }
    }

    private Sustain() {
    }

    static Result run(long pid, Wrk wrk, int port, Path script, int seconds) throws Exception {
        List<Long> heap = new ArrayList<>();
        List<Long> rss = new ArrayList<>();
        List<Long> exchanges = new ArrayList<>();
        sample(pid, port, heap, rss, exchanges);
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
                sample(pid, port, heap, rss, exchanges);
                next += SAMPLE_EVERY_NANOS;
                continue;
            }
            try {
                load.get(wait, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // time for the next sample
            }
        }
        sample(pid, port, heap, rss, exchanges);
        return new Result(seconds, heap, rss, exchanges, load.get());
    }

    private static void sample(long pid, int port, List<Long> heap, List<Long> rss, List<Long> exchanges)
            throws InterruptedException {
        heap.add(Memory.heapAfterGc(pid));
        rss.add(Memory.rssBytes(pid));
        LearningCounts counts = LearningCounts.read(port);
        exchanges.add(counts == null ? -1 : counts.stored());
        System.err.printf(Locale.ROOT, "bench:   sustain sample %d: heap after GC %s MB, RSS %s MB, %d exchanges%n",
                heap.size(), Memory.mb(heap.getLast()), Memory.mb(rss.getLast()), exchanges.getLast());
    }
}
