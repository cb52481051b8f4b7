package dev.shammah.upstream;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import io.helidon.faulttolerance.Retry;

/**
 * Exponential backoff with full jitter for Helidon's {@link Retry}: the n-th retry waits a random time in
 * [0, base × 2^(n-1)], capped. Full jitter spreads the retries of many clients hit by one upstream hiccup,
 * where a fixed delay would send them back together.
 */
final class BackoffWithJitter implements Retry.RetryPolicy {
    private final int retries;
    private final long baseMillis;
    private final long capMillis;

    BackoffWithJitter(int retries, Duration base, Duration cap) {
        this.retries = retries;
        this.baseMillis = Math.max(1, base.toMillis());
        this.capMillis = Math.max(baseMillis, cap.toMillis());
    }

    @Override
    public Optional<Long> nextDelayMillis(long firstCallMillis, long lastDelay, int call) {
        // call counts attempts made so far (1 after the first failure).
        if (call > retries) {
            return Optional.empty();
        }
        long ceiling = Math.min(capMillis, baseMillis << Math.min(20, call - 1));
        return Optional.of(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }
}
