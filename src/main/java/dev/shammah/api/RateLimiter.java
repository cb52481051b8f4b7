package dev.shammah.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import dev.shammah.errors.ErrorType;
import dev.shammah.errors.ShammahException;

/**
 * Token buckets per caller: requests per minute and tokens per minute, each refilling continuously. A request
 * takes one request token and its estimated input tokens up front; its output tokens are taken when known,
 * and may drive the bucket below zero so the next request waits. Refusals are 429 {@code rate_limit_error}
 * with {@code retry-after} and Anthropic's {@code anthropic-ratelimit-*} headers.
 *
 * <p>Instances sharing a store each enforce their share of the limits: the configured limit divided by the live
 * instances (rounded up), so that behind a balancer that spreads a client's requests the client gets the limit
 * across all of them, and no request waits on another instance to be counted (docs/SCALING.md).
 */
public final class RateLimiter {
    private final int requestsPerMinute;
    private final int tokensPerMinute;
    private final Clock clock;
    private final Map<String, Buckets> callers = new ConcurrentHashMap<>();

    private final LongSupplier nanos;
    private final IntSupplier instances;

    public RateLimiter(int requestsPerMinute, int tokensPerMinute, Clock clock) {
        this(requestsPerMinute, tokensPerMinute, clock, () -> 1);
    }

    /** @param instances live instances sharing the limits (1 for a store of one's own) */
    public RateLimiter(int requestsPerMinute, int tokensPerMinute, Clock clock, IntSupplier instances) {
        this(requestsPerMinute, tokensPerMinute, clock, System::nanoTime, instances);
    }

    RateLimiter(int requestsPerMinute, int tokensPerMinute, Clock clock, LongSupplier nanos) {
        this(requestsPerMinute, tokensPerMinute, clock, nanos, () -> 1);
    }

    RateLimiter(int requestsPerMinute, int tokensPerMinute, Clock clock, LongSupplier nanos,
                IntSupplier instances) {
        this.requestsPerMinute = requestsPerMinute;
        this.tokensPerMinute = tokensPerMinute;
        this.clock = clock;
        this.nanos = nanos;
        this.instances = instances;
        this.lastSweep.set(nanos.getAsLong());
    }

    /** This instance's share of a per-minute limit. */
    private double share(int limit) {
        return Math.ceil((double) limit / Math.max(1, instances.getAsInt()));
    }

    public boolean enabled() {
        return requestsPerMinute > 0 || tokensPerMinute > 0;
    }

    /** A continuously refilling bucket; all state under the owner's lock. */
    private static final class Bucket {
        double capacity;
        double level;
        long lastNanos;

        Bucket(double capacity, long now) {
            this.capacity = capacity;
            this.level = capacity;
            this.lastNanos = now;
        }

        /** Follows this instance's share as instances come and go. */
        void resize(double share) {
            capacity = share;
            level = Math.min(level, share);
        }

        void refill(long now) {
            level = Math.min(capacity, level + capacity * (now - lastNanos) / 60e9);
            lastNanos = now;
        }

        /** Seconds until {@code amount} is available. */
        long waitSeconds(double amount) {
            return (long) Math.ceil(Math.max(0, amount - level) * 60 / capacity);
        }
    }

    private final class Buckets {
        final Bucket requests;
        final Bucket tokens;
        volatile long touched;

        Buckets(long now) {
            requests = requestsPerMinute > 0 ? new Bucket(share(requestsPerMinute), now) : null;
            tokens = tokensPerMinute > 0 ? new Bucket(share(tokensPerMinute), now) : null;
            touched = now;
        }
    }

    /** A bucket untouched this long has refilled completely: forgetting it changes nothing. */
    private static final long IDLE_NANOS = 120_000_000_000L;
    private final AtomicLong lastSweep = new AtomicLong();

    /** Forgets callers idle for two minutes, at most once a minute, so made-up callers cannot grow the map. */
    private void sweep(long now) {
        long last = lastSweep.get();
        if (now - last > 60_000_000_000L && lastSweep.compareAndSet(last, now)) {
            callers.values().removeIf(b -> now - b.touched > IDLE_NANOS);
        }
    }

    /** Callers tracked now (tests). */
    int tracked() {
        return callers.size();
    }

    /**
     * Admits a request costing {@code inputTokens}, or throws 429.
     *
     * @return headers describing the caller's remaining budget, for the response
     */
    public Map<String, String> admit(String caller, long inputTokens) {
        if (!enabled()) {
            return Map.of();
        }
        long now = nanos.getAsLong();
        sweep(now);
        Buckets b = callers.computeIfAbsent(caller, c -> new Buckets(now));
        b.touched = now;
        synchronized (b) {
            if (b.requests != null) {
                b.requests.resize(share(requestsPerMinute));
                b.requests.refill(now);
            }
            if (b.tokens != null) {
                b.tokens.resize(share(tokensPerMinute));
                b.tokens.refill(now);
            }
            long wait = 0;
            String which = null;
            if (b.requests != null && b.requests.level < 1) {
                wait = b.requests.waitSeconds(1);
                which = "requests per minute (" + requestsPerMinute + across() + ")";
            }
            double cost = Math.min(inputTokens, b.tokens == null ? tokensPerMinute : b.tokens.capacity);
            if (b.tokens != null && b.tokens.level < cost) {
                long w = b.tokens.waitSeconds(cost);
                if (w >= wait) {
                    wait = w;
                    which = "tokens per minute (" + tokensPerMinute + across() + ")";
                }
            }
            if (which != null) {
                Map<String, String> headers = headers(b);
                headers.put("retry-after", Long.toString(Math.max(1, wait)));
                throw new ShammahException(ErrorType.RATE_LIMIT, "Rate limit exceeded: " + which
                        + " for this client; retry after " + Math.max(1, wait) + " s", headers, null);
            }
            if (b.requests != null) {
                b.requests.level -= 1;
            }
            if (b.tokens != null) {
                b.tokens.level -= cost;
            }
            return headers(b);
        }
    }

    /** How the limit is shared, for the refusal's message. */
    private String across() {
        int n = instances.getAsInt();
        return n <= 1 ? "" : ", shared by " + n + " instances: this one admits its share";
    }

    /** Charges the output tokens of an answered request. */
    public void charge(String caller, long outputTokens) {
        Buckets b = callers.get(caller);
        if (b == null || b.tokens == null || outputTokens <= 0) {
            return;
        }
        synchronized (b) {
            b.tokens.refill(nanos.getAsLong());
            b.tokens.level -= outputTokens;
        }
    }

    private Map<String, String> headers(Buckets b) {
        Map<String, String> h = new LinkedHashMap<>();
        Instant now = clock.instant();
        if (b.requests != null) {
            h.put("anthropic-ratelimit-requests-limit", Long.toString((long) b.requests.capacity));
            h.put("anthropic-ratelimit-requests-remaining", Long.toString((long) Math.max(0, b.requests.level)));
            h.put("anthropic-ratelimit-requests-reset", now.plus(Duration.ofSeconds(
                    b.requests.waitSeconds(b.requests.capacity))).toString());
        }
        if (b.tokens != null) {
            h.put("anthropic-ratelimit-tokens-limit", Long.toString((long) b.tokens.capacity));
            h.put("anthropic-ratelimit-tokens-remaining", Long.toString((long) Math.max(0, b.tokens.level)));
            h.put("anthropic-ratelimit-tokens-reset", now.plus(Duration.ofSeconds(
                    b.tokens.waitSeconds(b.tokens.capacity))).toString());
        }
        return h;
    }
}
