package dev.shammah.upstream;

import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Timers for deadlines that are almost always cancelled (a body read in time, an answer complete before its
 * deadline): one daemon thread each, with remove-on-cancel. Without it a cancelled timer stays queued until its
 * delay would have run out, and at a thousand requests a second the queues held a million dead timers (100 MB) —
 * measured under sustained load.
 *
 * <p>Arming a timer must not wake the timer's thread. A scheduled executor signals its thread whenever a new task
 * becomes the earliest in its queue, and when requests come one at a time every deadline is: the queue is empty
 * again as soon as the last one is cancelled. That was one thread woken per request per timer, each taking a core
 * for a moment from the request that woke it (counted from {@code /proc}: 4 of the 12 context switches a forwarded
 * request caused were these and the logs' writers). So while timers are being armed, a no-op ticks every
 * {@value #TICK_MS} ms: a deadline further away than that is never the earliest, and arming it signals nobody. The
 * thread wakes {@code 1000 / TICK_MS} times a second under any load instead of once per request; after
 * {@value #IDLE_MS} ms without a timer armed the tick stops, so an idle daemon's timer thread sleeps. Deadlines
 * fire exactly when due, as before: once one is the earliest, the thread waits for it precisely.
 */
public final class DeadlineTimers {
    static final long TICK_MS = 20;
    static final long IDLE_MS = 2_000;

    private final ScheduledThreadPoolExecutor timer;
    private final long idleNanos;
    /** When a timer was last armed (nanoTime); read by the tick to stop itself once nothing is armed for a while. */
    private volatile long lastArmed;
    /** The running tick, or null; started and stopped under this object's monitor. */
    private volatile ScheduledFuture<?> tick;

    DeadlineTimers(String threadName, long idleMs) {
        idleNanos = TimeUnit.MILLISECONDS.toNanos(idleMs);
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    public static DeadlineTimers create(String threadName) {
        return new DeadlineTimers(threadName, IDLE_MS);
    }

    /** Runs {@code task} after {@code delay} unless the returned future is cancelled first. */
    public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        lastArmed = System.nanoTime();
        if (tick == null) {
            startTick();
        }
        return timer.schedule(task, delay, unit);
    }

    private synchronized void startTick() {
        if (tick == null) {
            tick = timer.scheduleAtFixedRate(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void tick() {
        // A timer armed while this stops the tick may signal the thread once: a wake-up to spare, nothing lost.
        if (tick != null && System.nanoTime() - lastArmed > idleNanos) {
            tick.cancel(false);
            tick = null;
        }
    }

    /** Deadlines armed and neither fired nor cancelled (the tick not counted); tests check none are left behind. */
    public int pending() {
        Future<?> t = tick;
        int n = 0;
        for (Runnable r : timer.getQueue()) {
            if (r != t) {
                n++;
            }
        }
        return n;
    }

    /** Whether the tick runs now (tests). */
    boolean ticking() {
        return tick != null;
    }
}
