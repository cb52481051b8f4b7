package dev.shammah.learning;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** Occupies a worker's thread until released, so that what tests submit meanwhile waits in its queue. */
final class HeldWorker {
    private HeldWorker() {
    }

    /**
     * Submits a task that holds the worker until the returned latch is counted down, then runs {@code after}; returns
     * once it is running.
     */
    static CountDownLatch hold(PacedWorker worker, Runnable after) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch hold = new CountDownLatch(1);
        worker.submit(() -> {
            running.countDown();
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            after.run();
        });
        assertThat("the worker took the holding task", running.await(5, TimeUnit.SECONDS), is(true));
        return hold;
    }
}
