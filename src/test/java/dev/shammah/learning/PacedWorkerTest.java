package dev.shammah.learning;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** The learner's and the rewording observer's worker: never waits, drops and counts past its queue, drains. */
class PacedWorkerTest {
    @Test
    void aFullQueueDropsAndCountsAndAFailingTaskDoesNotStopTheNext() throws Exception {
        AtomicInteger onDrop = new AtomicInteger();
        List<String> ran = new CopyOnWriteArrayList<>();
        try (PacedWorker w = new PacedWorker("test-worker", "A test task", 2, onDrop::incrementAndGet, () -> 0)) {
            CountDownLatch hold = HeldWorker.hold(w, () -> ran.add("first"));
            w.submit(() -> {
                throw new IllegalStateException("boom");
            });
            assertThat("queued", w.submit(() -> ran.add("third")), is(true));
            assertThat("refused, and said so rather than thrown", w.submit(() -> ran.add("dropped")), is(false));
            assertThat("the fourth did not fit a queue of two", w.dropped(), is(1L));
            assertThat(onDrop.get(), is(1));
            assertThat(w.queued(), is(2));
            hold.countDown();
            w.drain(Duration.ofSeconds(5));
            assertThat(ran, is(List.of("first", "third")));
            assertThat(w.queued(), is(0));
        }
    }

    @Test
    void aTaskSubmittedSurelyWaitsBesideAFullQueueAndRunsAfterTheTaskInProgress() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        try (PacedWorker w = new PacedWorker("test-worker", "A test task", 1, () -> { }, () -> 0)) {
            CountDownLatch hold = HeldWorker.hold(w, () -> ran.add("first"));
            w.submit(() -> ran.add("queued"));
            w.submitSurely(() -> ran.add("next page"));
            assertThat("a full queue: the sure one is not dropped", w.dropped(), is(0L));
            hold.countDown();
            w.drain(Duration.ofSeconds(5));
            assertThat(ran, is(List.of("first", "next page", "queued")));
        }
    }

    @Test
    void drainWaitsForWorkStartedElsewhereAndCloseCountsWhatWasLeft() throws Exception {
        try (PacedWorker w = new PacedWorker("test-worker", "A test task", 10, () -> { }, () -> 0)) {
            w.started();
            long start = System.nanoTime();
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                w.done();
            });
            w.drain(Duration.ofSeconds(5));
            assertThat("drain waited for the work counted with started()",
                    System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(150), is(true));

            CountDownLatch hold = new CountDownLatch(1);
            w.submit(waitFor(hold));
            w.submit(() -> { });
            w.submit(() -> { });
            assertThat("two queued behind the one in hand were not run", w.close(Duration.ZERO), is(2));
            assertThat(w.dropped(), is(2L));
        }
    }

    /** Under a backlog it rests three times what a task took, nine while the machine is busy, never over 100 ms. */
    @Test
    void itRestsLongerWhileTheMachineIsBusy() {
        assertThat(PacedWorker.rest(1_000_000, false), is(3_000_000L));
        assertThat(PacedWorker.rest(1_000_000, true), is(9_000_000L));
        assertThat(PacedWorker.rest(50_000_000, true), is(100_000_000L));
    }

    /** The first question reads the load (a first reading that waited for a wrapped clock once never came). */
    @Test
    void theMachinesLoadIsReadFromTheFirstQuestionOn() {
        assertThat(new MachineLoad(() -> 0.95).busy(), is(true));
        assertThat(new MachineLoad(() -> 0.5).busy(), is(false));
        assertThat("unknown is never busy", new MachineLoad(() -> -1).busy(), is(false));
    }

    /**
     * Requests wait for the cores only with a request on every core and the machine busy: one client asking back to
     * back loads two cores by itself, yet learning giving way to it only made learning fall behind it.
     */
    @Test
    void requestsWaitOnlyWithARequestOnEveryCoreAndTheMachineBusy() {
        AtomicInteger inFlight = new AtomicInteger();
        java.util.function.BooleanSupplier busyMachine = new MachineLoad(() -> 0.95).requestsWait(inFlight::get, 2);
        java.util.function.BooleanSupplier idleMachine = new MachineLoad(() -> 0.3).requestsWait(inFlight::get, 2);
        inFlight.set(1);
        assertThat("one request on two cores", busyMachine.getAsBoolean(), is(false));
        inFlight.set(2);
        assertThat(busyMachine.getAsBoolean(), is(true));
        assertThat("cores not busy", idleMachine.getAsBoolean(), is(false));
        inFlight.set(0);
        assertThat(busyMachine.getAsBoolean(), is(false));
    }

    /** With work waiting, the worker asks whether the machine is busy before it rests (a load never read is no load). */
    @Test
    void withWorkWaitingTheWorkerAsksWhetherTheMachineIsBusy() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        CountDownLatch hold = new CountDownLatch(1);
        try (PacedWorker w = new PacedWorker("test-worker", "A test task", 10, () -> { }, () -> {
            asked.incrementAndGet();
            return true;
        })) {
            w.submit(waitFor(hold));
            w.submit(() -> { });
            w.submit(() -> { });
            hold.countDown();
            w.drain(Duration.ofSeconds(5));
            assertThat("asked after each task that left work waiting", asked.get() >= 1, is(true));
        }
    }

    /** A task that holds the worker until {@code hold} opens (at most a few seconds). */
    private static Runnable waitFor(CountDownLatch hold) {
        return () -> {
            try {
                hold.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }
}
