package dev.shammah.store;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Work done off the caller's thread, {@code delay} after it is asked for, once for however many asks arrive before it
 * starts: a burst of failures is written in one flush, a burst of new sessions in one batch, one trim for many.
 * Asking is cheap enough to do under a lock.
 */
final class Soon implements AutoCloseable {
    private final ScheduledExecutorService thread;
    private final Runnable task;
    private final long delayMillis;
    private final AtomicBoolean queued = new AtomicBoolean();

    Soon(String name, Duration delay, Runnable task) {
        this.task = task;
        this.delayMillis = delay.toMillis();
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    void ask() {
        if (queued.compareAndSet(false, true)) {
            try {
                thread.schedule(() -> {
                    // Cleared first: an ask while the task runs is for what the task may miss.
                    queued.set(false);
                    task.run();
                }, delayMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                queued.set(false);
            }
        }
    }

    /** Lets a run in progress finish (five seconds at most); nothing asked for later runs. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
