package dev.shammah.learning;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;

/**
 * Which local answers are also asked of the teacher: {@code learning.verify-rate} of them, drawn at random, and of
 * those at most {@code learning.verify-per-minute} per tenant (a token bucket of a minute's worth, refilled
 * evenly). Verifying is Shammah's own spend against the tenant's teacher account and rate limit: at a few answers a
 * second the rate alone decides, but a client answered from the store thousands of times a second would otherwise
 * have Shammah send the teacher a twentieth of that — far past any account's requests per minute, and the same
 * few answers checked again every few milliseconds, which teaches nothing the first checks did not.
 */
public final class VerifyBudget {
    /** Tenants whose bucket is kept; an idle tenant's bucket is full again within a minute, so forgetting it is free. */
    private static final int TENANTS = 10_000;

    private final double rate;
    private final long perMinute;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder().executor(Runnable::run).maximumSize(TENANTS)
            .expireAfterAccess(Duration.ofMinutes(2)).build();
    private final AtomicLong overBudget = new AtomicLong();

    /**
     * @param rate      share of local answers to verify (0 verifies none)
     * @param perMinute most verifications per tenant per minute (at least 1)
     */
    public VerifyBudget(double rate, int perMinute) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("perMinute must be at least 1");
        }
        this.rate = rate;
        this.perMinute = perMinute;
    }

    /** Whether this local answer of {@code tenant}'s is to be verified: a draw at the rate, then the tenant's budget. */
    public boolean draw(String tenant) {
        if (rate <= 0 || ThreadLocalRandom.current().nextDouble() >= rate) {
            return false;
        }
        Bucket bucket = buckets.get(tenant, t -> Bucket.builder()
                .addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)))
                .build());
        if (bucket.tryConsume(1)) {
            return true;
        }
        overBudget.incrementAndGet();
        return false;
    }

    /** Draws that would have been verified but for the tenant's budget. */
    public long overBudget() {
        return overBudget.get();
    }
}
