package dev.shammah.upstream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The tick that keeps arming a deadline from waking the timer's thread: it runs while deadlines are armed, is not
 * counted as one, stops once none has been armed for a while, and deadlines still fire when due (not a tick late).
 */
class DeadlineTimersTickTest {
    @Test
    void deadlinesFireWhenDueWhileTheTickRuns() throws Exception {
        DeadlineTimers timers = new DeadlineTimers("test-deadline", 60_000);
        CountDownLatch fired = new CountDownLatch(1);
        long start = System.nanoTime();
        long[] at = new long[1];
        timers.schedule(() -> {
            at[0] = System.nanoTime();
            fired.countDown();
        }, 150, TimeUnit.MILLISECONDS);
        assertThat(timers.ticking(), is(true));
        assertThat(fired.await(5, TimeUnit.SECONDS), is(true));
        long ms = TimeUnit.NANOSECONDS.toMillis(at[0] - start);
        assertThat(ms, greaterThanOrEqualTo(150L));
        assertThat("fired long after its deadline", ms, lessThan(150L + 1_000L));
    }

    @Test
    void theTickIsNotADeadlineAndStopsWhenNothingIsArmed() throws Exception {
        DeadlineTimers timers = new DeadlineTimers("test-deadline", 100);
        ScheduledFuture<?> f = timers.schedule(() -> { }, 60, TimeUnit.SECONDS);
        assertThat(timers.pending(), is(1));
        f.cancel(false);
        assertThat("the tick counted as a deadline", timers.pending(), is(0));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (timers.ticking() && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat("the tick still ran with nothing armed", timers.ticking(), is(false));
        timers.schedule(() -> { }, 60, TimeUnit.SECONDS).cancel(false);
        assertThat("arming again did not restart the tick", timers.ticking(), is(true));
    }
}
