package dev.shammah.metrics;

import java.time.Duration;
import java.util.List;

/** Histogram bucket bounds for Shammah's timers, each sized to what it times. */
enum MeterBuckets {
    /** A whole request, or a call to the upstream: a millisecond to two minutes (a long generation). */
    LATENCY(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120)),
    /** An exchange stored by another instance until it is servable here: half a millisecond to ten seconds. */
    CATCH_UP(Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(10)),
    /** Shammah's own time (a route decision, what it adds to a forward): a tenth of a millisecond up. */
    DECISION(Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1),
            Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100));

    private final List<Duration> bounds;

    MeterBuckets(Duration... bounds) {
        this.bounds = List.of(bounds);
    }

    /** The bounds, in a fresh array for a timer builder. */
    Duration[] bounds() {
        return bounds.toArray(Duration[]::new);
    }
}
