package dev.shammah.bench.sidebyside;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Shammah with learning on under steady load ({@code wrk -c8}) for a while: does its heap keep growing as it learns
 * from every forwarded answer? The load runs for a warm-up and then the measured window, without a break; heap after a
 * full GC is sampled at its start, every 30 s during it, and once after,
 * each time with the exchanges its memory holds (its /metrics), so that growth can be told apart: what is learned
 * stays on purpose, and heap per exchange learned says what each one costs. The learned state Shammah keeps outside
 * the heap (its {@code shammah_learned_offheap_bytes}) is sampled beside it.
 */
final class Sustain {
    static final int CONNECTIONS = 8;
    private static final long SAMPLE_EVERY_NANOS = TimeUnit.SECONDS.toNanos(30);

    /**
     * Heap-after-GC and RSS samples, in bytes, the memory's exchanges and the learned state outside the heap, in time
     * order, from the start of the load; {@code window} is the index of the first sample of the measured window (the
     * first at or after the soak's warm-up). The load's wrk figures are the whole run's.
     */
    record Result(int warmupSeconds, int seconds, int window, List<Long> heap, List<Long> rss, List<Long> exchanges,
                  List<Long> offHeap, Wrk.Result load) {
        long first() {
            return heap.get(window);
        }

        long last() {
            return heap.getLast();
        }

        long max() {
            return measured().stream().mapToLong(Long::longValue).max().orElse(-1);
        }

        /** The window's heap samples. */
        List<Long> measured() {
            return heap.subList(window, heap.size());
        }

        String change() {
            return first() <= 0 ? "?" : String.format(Locale.ROOT, "%+.1f%%", 100.0 * (last() - first()) / first());
        }

        /** The window's sample farthest from its first, as a change from it: the figure "flat within ±N%" is of. */
        String widest() {
            if (first() <= 0) {
                return "?";
            }
            long far = measured().stream().max(Comparator.comparingLong(h -> Math.abs(h - first()))).orElse(first());
            return String.format(Locale.ROOT, "%+.1f%%", 100.0 * (far - first()) / first());
        }

        /** The window's sample farthest from the window's mean, as a change from that mean. */
        String widestFromMean() {
            double mean = measured().stream().mapToLong(Long::longValue).average().orElse(0);
            if (mean <= 0) {
                return "?";
            }
            long far = measured().stream().max(Comparator.comparingDouble(h -> Math.abs(h - mean))).orElse(0L);
            return String.format(Locale.ROOT, "%+.1f%%", 100.0 * (far - mean) / mean);
        }

        /** Exchanges the memory gained over the window; -1 when its /metrics could not be read at either end. */
        long learned() {
            return exchanges.get(window) < 0 || exchanges.getLast() < 0 ? -1
                    : exchanges.getLast() - exchanges.get(window);
        }

        /** Learned state outside the heap gained per exchange learned over the window, in bytes. */
        String offHeapBytesPerExchange() {
            long from = offHeap.get(window);
            long to = offHeap.getLast();
            return learned() <= 0 || from < 0 || to < 0 ? "?" : String.format(Locale.ROOT, "%.0f",
                    (double) (to - from) / learned());
        }

        /** Heap after GC gained per exchange learned over the window, in bytes ("?" when nothing was learned). */
        String bytesPerExchange() {
            return learned() <= 0 ? "?" : String.format(Locale.ROOT, "%.0f", (double) (last() - first()) / learned());
        }
    }

    private Sustain() {
    }

    /** The soak's load for {@code warmupSeconds} and then {@code seconds} more, without a break. */
    static Result run(long pid, Wrk wrk, int port, Path script, int warmupSeconds, int seconds) throws Exception {
        List<Long> heap = new ArrayList<>();
        List<Long> rss = new ArrayList<>();
        List<Long> exchanges = new ArrayList<>();
        List<Long> offHeap = new ArrayList<>();
        CompletableFuture<Wrk.Result> load = CompletableFuture.supplyAsync(() -> {
            try {
                return wrk.run(port, script, CONNECTIONS, warmupSeconds + seconds);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long start = System.nanoTime();
        long windowStart = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
        int window = -1;
        // Sampled from the start, so that the warm-up's climb shows too; the window opens at its first sample
        // at or after the warm-up.
        long next = start;
        while (!load.isDone()) {
            long wait = next - System.nanoTime();
            if (wait <= 0) {
                if (window < 0 && System.nanoTime() >= windowStart) {
                    window = heap.size();
                }
                sample(pid, port, heap, rss, exchanges, offHeap);
                next += SAMPLE_EVERY_NANOS;
                continue;
            }
            try {
                load.get(wait, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // time for the next sample
            }
        }
        if (window < 0) {
            window = heap.size();
        }
        sample(pid, port, heap, rss, exchanges, offHeap);
        return new Result(warmupSeconds, seconds, window, heap, rss, exchanges, offHeap, load.get());
    }

    private static void sample(long pid, int port, List<Long> heap, List<Long> rss, List<Long> exchanges,
                               List<Long> offHeap) throws InterruptedException {
        heap.add(Memory.heapAfterGc(pid));
        rss.add(Memory.rssBytes(pid));
        LearningCounts counts = LearningCounts.read(port);
        exchanges.add(counts == null ? -1 : counts.stored());
        offHeap.add(counts == null ? -1 : counts.offHeapBytes());
        System.err.printf(Locale.ROOT, "bench:   sustain sample %d: heap after GC %s MB, RSS %s MB, learned state "
                        + "off the heap %s MB, %d exchanges%n", heap.size(), Memory.mb(heap.getLast()),
                Memory.mb(rss.getLast()), Memory.mb(offHeap.getLast()), exchanges.getLast());
    }
}
