package dev.shammah.metrics;

import java.time.Duration;

/** Histogram bucket bounds for Shammah's timers, each sized to what it times. */
final class MeterBuckets {
    /** A whole request, or a call to the upstream: a millisecond to two minutes (a long generation). */
    static final Duration[] LATENCY = {
            Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120)};
    /** An exchange stored by another instance until it is servable here: half a millisecond to ten seconds. */
    static final Duration[] CATCH_UP = {
            Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(10)};
    /** Shammah's own time (a route decision, what it adds to a forward): a tenth of a millisecond up. */
    static final Duration[] DECISION = {
            Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1),
            Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100)};

    private MeterBuckets() {
    }
}
