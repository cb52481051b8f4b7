package dev.shammah.learning;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One low-priority thread with a bounded queue, for work that may fall behind but must never make a request wait:
 * what does not fit in the queue is dropped and counted; under a backlog the thread rests {@value #REST_PER_WORK}
 * times as long as each task took (at most a quarter of a core — thread priorities do nothing on Linux), and
 * {@value #REST_WHEN_BUSY} times while requests wait for the machine's cores ({@link MachineLoad}: at most a tenth of a
 * core, since what learning stores also costs the index's merges and commits, on other threads); with nothing waiting
 * it does not rest, so the work is immediate when there is room for it. At half a core, learning at a flood of new
 * prompts (wrk, 2 cores) held throughput to 0.44-0.49 of learning off.
 */
public final class PacedWorker implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PacedWorker.class.getName());
    private static final int REST_PER_WORK = 3;
    private static final int REST_WHEN_BUSY = 9;
    private static final long MAX_REST_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final String what;
    private final ThreadPoolExecutor executor;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final BooleanSupplier busy;
    private final Runnable onDrop;
    /** Tasks {@link #submitSurely} found no room for in the queue: run after the task in progress. */
    private final Queue<Runnable> deferred = new ConcurrentLinkedQueue<>();

    /**
     * @param name   the thread's name
     * @param what   what a task does, for the log line when one fails ("learning from an answer")
     * @param onDrop told of every task dropped because the queue was full (a metric)
     * @param requestsInFlight the server's requests being handled now
     */
    public PacedWorker(String name, String what, int queueSize, Runnable onDrop, IntSupplier requestsInFlight) {
        this(name, what, queueSize, onDrop, MachineLoad.system().requestsWait(requestsInFlight,
                Runtime.getRuntime().availableProcessors()));
    }

    /** @param busy whether requests wait for the machine's cores now (tests give their own) */
    PacedWorker(String name, String what, int queueSize, Runnable onDrop, BooleanSupplier busy) {
        this.what = what;
        this.busy = busy;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queueSize),
                r -> {
                    Thread t = new Thread(r, name);
                    t.setDaemon(true);
                    // Requests come first on a small machine: this work takes what they leave.
                    t.setPriority(Thread.MIN_PRIORITY);
                    return t;
                }, (task, pool) -> {
                    if (task instanceof Task t) {
                        t.refused = true;
                    } // else the deferred tasks' extra turn, refused harmlessly (submitSurely)
                });
        this.onDrop = onDrop;
    }

    /**
     * A task as queued, marked by the executor's rejection handler when it found no room (or the worker closed).
     * Not an exception: under a flood most tasks are refused, and the stock policy's exception builds its message
     * from the executor's {@code toString}, which takes the executor's lock — on the request thread, every time.
     */
    private final class Task implements Runnable {
        private final Runnable work;
        boolean refused;

        Task(Runnable work) {
            this.work = work;
        }

        @Override
        public void run() {
            work(work);
        }
    }

    /** Hands {@code task} to the executor; false when it was refused (full or closed). */
    private boolean offer(Runnable task) {
        Task t = new Task(task);
        executor.execute(t);
        return !t.refused;
    }

    /**
     * Queues a task; never waits. A task that throws is logged and the next one runs.
     *
     * @return whether it was queued: false when the queue was full (the task is dropped and counted) or the worker
     *         is closed, so that a caller keeping a note of the task can let go of it
     */
    public boolean submit(Runnable task) {
        pending.incrementAndGet();
        if (offer(task)) {
            return true;
        }
        pending.decrementAndGet();
        if (!executor.isShutdown()) { // full, not closed
            dropped.incrementAndGet();
            onDrop.run();
        }
        return false;
    }

    /**
     * Queues a task that must not be dropped: when the queue is full it waits beside it and runs right after the task
     * in progress (the queue being full, one is). Only for work the caller bounds itself — the next page of a rebuild,
     * one at a time — never for work that comes with requests, which is what the queue's bound is for. Dropped only
     * when the worker is closed.
     */
    public void submitSurely(Runnable task) {
        pending.incrementAndGet();
        if (offer(task)) {
            return;
        }
        if (executor.isShutdown()) {
            pending.decrementAndGet();
            return;
        }
        deferred.add(task);
        // The queue may have emptied since it refused the task, and the worker gone idle with nothing left to run it
        // after: then this finds room, and runs it. Refused while the queue is still full: a task queued or in
        // progress runs it when it ends.
        executor.execute(this::runDeferred);
    }

    /** A queued task on the worker's thread: the task, then any that could not be queued, then the rest. */
    private void work(Runnable task) {
        long start = System.nanoTime();
        run(task);
        runDeferred();
        pace(System.nanoTime() - start);
    }

    private void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, what + " failed: " + e);
            LOG.log(Level.FINE, what + " failed", e);
        } finally {
            pending.decrementAndGet();
        }
    }

    private void runDeferred() {
        for (Runnable d = deferred.poll(); d != null; d = deferred.poll()) {
            run(d);
        }
    }

    /** Counts work done elsewhere (another thread) as pending until {@link #done()}, so {@link #drain} waits for it. */
    public void started() {
        pending.incrementAndGet();
    }

    public void done() {
        pending.decrementAndGet();
    }

    private void pace(long tookNanos) {
        if (executor.getQueue().isEmpty()) {
            return;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(rest(tookNanos, busy.getAsBoolean()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How long to rest after a task that took {@code tookNanos}, with work waiting. */
    static long rest(long tookNanos, boolean busy) {
        return Math.min((busy ? REST_WHEN_BUSY : REST_PER_WORK) * tookNanos, MAX_REST_NANOS);
    }

    /** Waits (at most {@code limit}) until the work queued or started so far has finished: tests and benchmarks. */
    public void drain(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (pending.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public int queued() {
        return executor.getQueue().size();
    }

    public long dropped() {
        return dropped.get();
    }

    /**
     * Stops: what is queued gets {@code grace} to finish, then the rest is dropped (counted, and returned) and the
     * task in progress is waited for, so nothing runs after what it works on has been closed.
     */
    public int close(Duration grace) {
        executor.shutdown();
        int left = 0;
        try {
            if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                left = executor.shutdownNow().size();
                for (Runnable d = deferred.poll(); d != null; d = deferred.poll()) {
                    left++; // taken off pending with the rest, below
                }
                dropped.addAndGet(left);
                pending.addAndGet(-left);
                executor.awaitTermination(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return left;
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }
}
