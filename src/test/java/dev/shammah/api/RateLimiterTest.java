package dev.shammah.api;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.shammah.errors.ShammahException;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Each instance sharing a store admits its share of a limit, and follows the share as instances come and go. */
class RateLimiterTest {
    @Test
    void theShareFollowsTheLiveInstances() {
        AtomicLong nanos = new AtomicLong(1_000_000_000L);
        AtomicInteger instances = new AtomicInteger(1);
        RateLimiter limiter = new RateLimiter(4, 0, Clock.systemUTC(), nanos::get, instances::get);
        for (int i = 0; i < 4; i++) {
            limiter.admit("alone", 10);
        }
        assertThrows(ShammahException.class, () -> limiter.admit("alone", 10));

        instances.set(2);
        Map<String, String> headers = limiter.admit("shared", 10);
        assertThat(headers.get("anthropic-ratelimit-requests-limit"), is("2"));
        limiter.admit("shared", 10);
        ShammahException refused = assertThrows(ShammahException.class, () -> limiter.admit("shared", 10));
        assertThat(refused.getMessage(), containsString("requests per minute (4, shared by 2 instances"));

        // One instance again: after a minute the whole limit is this one's.
        instances.set(1);
        nanos.addAndGet(60_000_000_000L);
        for (int i = 0; i < 4; i++) {
            limiter.admit("shared", 10);
        }
        assertThrows(ShammahException.class, () -> limiter.admit("shared", 10));
    }
}
