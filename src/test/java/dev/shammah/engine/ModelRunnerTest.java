package dev.shammah.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/** The model gate: a permit is held for model work only, on a model thread, never while a client reads. */
class ModelRunnerTest {
    static Iterator<String> tokens(int n, AtomicInteger produced) {
        return new Iterator<>() {
            int i;

            @Override
            public boolean hasNext() {
                return i < n;
            }

            @Override
            public String next() {
                produced.incrementAndGet();
                return "t" + (i++);
            }
        };
    }

    /** A model that produces nothing until {@code release} opens: it holds its permit until then. */
    static Iterator<String> blockedUntil(CountDownLatch release) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return false;
            }

            @Override
            public String next() {
                throw new java.util.NoSuchElementException();
            }
        };
    }

    @Test
    void aSlowReaderDoesNotHoldThePermit() throws Exception {
        try (ModelRunner runner = new ModelRunner(1, Duration.ofMillis(50))) {
            AtomicInteger produced = new AtomicInteger();
            ModelRunner.Generation slow = runner.start(() -> tokens(20, produced), 100);
            assertThat(slow, notNullValue());
            // Nobody reads `slow`; the model finishes anyway and gives the permit back.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (runner.available() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(runner.available(), is(1));
            assertThat(produced.get(), is(20));
            ModelRunner.Generation next = runner.start(() -> tokens(3, new AtomicInteger()), 100);
            assertThat(next, notNullValue());
            List<String> all = new ArrayList<>();
            next.forEachRemaining(all::add);
            assertThat(all, is(List.of("t0", "t1", "t2")));
            List<String> late = new ArrayList<>();
            slow.forEachRemaining(late::add);
            assertThat(late.size(), is(20));
        }
    }

    @Test
    void backgroundWorkIsSkippedNotQueuedWhenTheModelIsBusy() throws Exception {
        try (ModelRunner runner = new ModelRunner(1, Duration.ofSeconds(5))) {
            CountDownLatch release = new CountDownLatch(1);
            ModelRunner.Generation busy = runner.start(() -> blockedUntil(release), 10);
            long start = System.nanoTime();
            assertThat("busy: skipped at once", runner.startIfFree(() -> tokens(1, new AtomicInteger()), 10),
                    nullValue());
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), lessThan(1000L));
            release.countDown();
            busy.forEachRemaining(t -> { });
            ModelRunner.Generation free = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (free == null && System.nanoTime() < deadline) {
                free = runner.startIfFree(() -> tokens(1, new AtomicInteger()), 10);
            }
            assertThat("free again: it runs", free == null, is(false));
            free.forEachRemaining(t -> { });
        }
    }

    @Test
    void modelWorkRunsOnAModelThreadAndWaitsAreBounded() throws Exception {
        try (ModelRunner runner = new ModelRunner(1, Duration.ofMillis(30))) {
            CountDownLatch release = new CountDownLatch(1);
            AtomicReference<String> thread = new AtomicReference<>();
            ModelRunner.Generation busy = runner.start(() -> {
                thread.set(Thread.currentThread().getName());
                return blockedUntil(release);
            }, 10);
            long start = System.nanoTime();
            assertThat("no permit within max-wait", runner.start(() -> tokens(1, new AtomicInteger()), 10), nullValue());
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), lessThan(2000L));
            release.countDown();
            busy.forEachRemaining(t -> { });
            assertThat(thread.get(), startsWith("shammah-model-"));
        }
    }

    @Test
    void closingAGenerationStopsTheModel() throws Exception {
        try (ModelRunner runner = new ModelRunner(1, Duration.ofMillis(50))) {
            AtomicInteger produced = new AtomicInteger();
            ModelRunner.Generation g = runner.start(() -> new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return true;
                }

                @Override
                public String next() {
                    produced.incrementAndGet();
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return "x";
                }
            }, 1_000_000);
            g.next();
            g.close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (runner.available() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat("the permit came back", runner.available(), is(1));
            int stopped = produced.get();
            Thread.sleep(50);
            assertThat("no more tokens after close", produced.get(), is(stopped));
            assertThat(stopped, lessThan(1_000_000));
        }
    }
}
