package dev.shammah.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import dev.shammah.session.SessionListener;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.DistributionStatisticsConfig;
import io.helidon.metrics.api.DistributionSummary;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

/**
 * Shammah's meters, registered in Helidon's global registry so the observe feature serves them at /metrics
 * in Prometheus text. Meter names become {@code shammah_…} series there.
 *
 * <p>That registry is the JVM's: every Helidon registry, even one made with {@code Metrics.createMeterRegistry},
 * wraps Micrometer's global composite (Helidon 4.3's {@code MicrometerMetricsFactory}), and the observe feature's
 * Prometheus output reads it. So counters and timers are the process's totals. What belongs to one app — its
 * sessions, memory, routes, store, training — is kept by that app's objects and read by gauges, which each app
 * registers in place of an earlier one's: a second app in the same JVM (tests start several) keeps
 * its own figures, and /metrics reads the newest app's. Nothing here is static.
 */
public final class ShammahMetrics implements SessionListener {
    private final MeterRegistry registry;
    /**
     * Meters by name and tag values: {@code getOrCreate} builds a builder and looks tags up in the registry on
     * every call, which is too much to do several times per request.
     */
    private final Map<String, Object> meters = new ConcurrentHashMap<>();
    private final Counter sessionsCreated;
    private final Counter sessionsExpired;
    private final Counter sessionsDeleted;
    private final Counter sessionsEvicted;
    /**
     * This server's requests being handled now (counted by the access filter, which drains on it): learning reads it
     * to know whether requests wait for the cores.
     */
    private final AtomicInteger requestsInFlight = new AtomicInteger();

    public ShammahMetrics() {
        this.registry = Metrics.globalRegistry();
        this.sessionsCreated = registry.getOrCreate(Counter.builder("shammah.sessions.created")
                .description("Sessions created"));
        this.sessionsExpired = registry.getOrCreate(Counter.builder("shammah.sessions.expired")
                .description("Sessions dropped by the idle reaper"));
        this.sessionsDeleted = registry.getOrCreate(Counter.builder("shammah.sessions.deleted")
                .description("Sessions deleted by clients"));
        this.sessionsEvicted = registry.getOrCreate(Counter.builder("shammah.sessions.evicted")
                .description("Implicit sessions evicted to make room at server.max-sessions"));
        gauge("shammah.requests.in_flight", "Requests being handled now, open streams included", requestsInFlight::get);
    }

    public void requestStarted() {
        requestsInFlight.incrementAndGet();
    }

    public void requestEnded() {
        requestsInFlight.decrementAndGet();
    }

    /** Requests being handled now, open streams included. */
    public int requestsInFlight() {
        return requestsInFlight.get();
    }

    /** Publishes the live session count; called once the store exists. */
    public void bindActiveSessions(IntSupplier activeSessions) {
        gauge("shammah.sessions.active", "Sessions currently held", activeSessions::getAsInt);
    }

    /**
     * A gauge of this app's {@code value}, registered in place of one an earlier app in this JVM registered under
     * the name (the registry keeps the first gauge of a name and would go on reading the earlier app).
     */
    private void gauge(String name, String description, DoubleSupplier value) {
        registry.remove(name, List.of());
        registry.getOrCreate(Gauge.builder(name, value, DoubleSupplier::getAsDouble).description(description));
    }

    @SuppressWarnings("unchecked")
    private <M> M meter(String key, Supplier<M> create) {
        Object m = meters.get(key);
        if (m == null) {
            m = meters.computeIfAbsent(key, k -> create.get());
        }
        return (M) m;
    }

    /** One HTTP request finished. */
    public void request(String route, String method, int status, Duration latency) {
        Counter count = meter("requests\u0000" + route + '\u0000' + method + '\u0000' + status, () ->
                registry.getOrCreate(Counter.builder("shammah.requests")
                        .tags(List.of(Tag.create("route", route), Tag.create("method", method),
                                Tag.create("status", Integer.toString(status))))
                        .description("HTTP requests by route, method and status")));
        count.increment();
        Timer timer = meter("latency\u0000" + route, () -> registry.getOrCreate(Timer.builder("shammah.request.latency")
                .tags(List.of(Tag.create("route", route)))
                .buckets(MeterBuckets.LATENCY.bounds())
                .description("HTTP request latency by route")));
        timer.record(latency);
    }

    /** Time Shammah added to a forwarded request: its whole time minus the upstream's. */
    public void addedLatency(Duration added) {
        Timer timer = meter("added", () -> registry.getOrCreate(Timer.builder("shammah.added.latency")
                .buckets(MeterBuckets.DECISION.bounds())
                .description("Latency Shammah adds to forwarded requests (from the request's first byte read to "
                        + "its last byte written, minus the upstream's time)")));
        timer.record(added);
    }

    /** One call to the upstream finished (any status, or a failure with status 0). */
    public void upstream(int status, Duration latency) {
        Timer timer = meter("upstream\u0000" + status, () -> registry.getOrCreate(Timer.builder("shammah.upstream.latency")
                .tags(List.of(Tag.create("status", Integer.toString(status))))
                .buckets(MeterBuckets.LATENCY.bounds())
                .description("Latency of calls to the upstream (Claude) API")));
        timer.record(latency);
    }

    /** One answered request by route ({@code local} / {@code forward}) and the router's reason. */
    public void route(String route, String reason) {
        Counter count = meter("route\u0000" + route + '\u0000' + reason, () -> registry.getOrCreate(
                Counter.builder("shammah.route").tags(List.of(Tag.create("route", route),
                        Tag.create("reason", reason))).description("Answered requests by route and router reason")));
        count.increment();
    }

    /** Time the router took to decide (exact lookups; an embedding only for a prompt about to be answered locally). */
    public void decision(Duration took) {
        Timer timer = meter("decision", () -> registry.getOrCreate(Timer.builder("shammah.route.decision")
                .buckets(MeterBuckets.DECISION.bounds())
                .description("Route decision latency")));
        timer.record(took);
    }

    /**
     * One comparison of a stored answer with the teacher's.
     *
     * @param source {@code shadow} (a forwarded request with a candidate) or {@code verify} (a served local answer)
     * @param match  {@code same} or {@code wrapped}
     */
    public void comparison(String source, String match, boolean pass, double score) {
        DistributionSummary scores = meter("comparison-score", () -> registry.getOrCreate(
                DistributionSummary.builder("shammah.comparison.score", DistributionStatisticsConfig.builder()
                                .buckets(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0))
                        .description("Similarity of stored answers to the teacher's in comparisons")));
        scores.record(score);
        String result = pass ? "pass" : "fail";
        Counter count = meter("comparisons\u0000" + source + '\u0000' + match + '\u0000' + result, () ->
                registry.getOrCreate(Counter.builder("shammah.comparisons")
                        .tags(List.of(Tag.create("source", source), Tag.create("match", match),
                                Tag.create("result", result)))
                        .description("Comparisons of stored answers with the teacher's, by source, match and result")));
        count.increment();
        if ("verify".equals(source)) {
            Counter verified = meter("verifications\u0000" + result, () -> registry.getOrCreate(
                    Counter.builder("shammah.verifications").tags(List.of(Tag.create("result", result)))
                            .description("Local answers checked against the teacher, by result")));
            verified.increment();
        }
    }

    /** Learning work dropped because its queue was full (the request itself was answered). */
    public void learningDropped() {
        Counter count = meter("dropped", () -> registry.getOrCreate(Counter.builder("shammah.learning.dropped")
                .description("Learning work dropped because the learning queue was full")));
        count.increment();
    }

    /** Teacher tokens a local answer did not spend. */
    public void saved(long inputTokens, long outputTokens) {
        Counter in = meter("saved\u0000input", () -> registry.getOrCreate(Counter.builder("shammah.teacher.tokens.saved")
                .tags(List.of(Tag.create("kind", "input")))));
        Counter out = meter("saved\u0000output", () -> registry.getOrCreate(Counter.builder("shammah.teacher.tokens.saved")
                .tags(List.of(Tag.create("kind", "output")))));
        in.increment(Math.max(0, inputTokens));
        out.increment(Math.max(0, outputTokens));
    }

    /**
     * Publishes the learning gauges; called once the learning core exists.
     *
     * @param dollarsSaved estimated teacher cost of local answers since start (pricing.*)
     * @param offHeapBytes bytes of learned state kept outside the Java heap
     */
    public void bindLearning(IntSupplier memorySize, LongSupplier local, LongSupplier forward,
                             DoubleSupplier dollarsSaved, LongSupplier offHeapBytes) {
        gauge("shammah.memory.exchanges", "Teacher exchanges in the memory", memorySize::getAsInt);
        gauge("shammah.learned.offheap.bytes", "Bytes of learned state outside the Java heap: the memory's key "
                + "filters and the vectors of prompts filed for rewordings", offHeapBytes::getAsLong);
        // A gauge, not a counter: Helidon's counters count whole units and dollars are fractional.
        gauge("shammah.dollars.saved", "Estimated teacher cost of answers served locally since start (pricing.*)",
                dollarsSaved);
        gauge("shammah.local.share", "Share of answered requests served locally since start", () -> {
            long l = local.getAsLong();
            long all = l + forward.getAsLong();
            return all == 0 ? 0 : (double) l / all;
        });
    }

    /**
     * Publishes the shared store's gauges ({@code store.kind: postgres}): whether this instance is current (1) or
     * forwarding everything for want of the store (0), live instances, evidence counts waiting to be written.
     */
    public void bindStore(BooleanSupplier current, IntSupplier instances, IntSupplier outbox) {
        gauge("shammah.store.up", "1 while the shared store is reachable and caught up; 0 while every request is "
                + "forwarded for want of it", () -> current.getAsBoolean() ? 1 : 0);
        gauge("shammah.store.instances", "Live instances sharing the store", instances::getAsInt);
        gauge("shammah.store.outbox", "Evidence counts waiting to be written to the shared store", outbox::getAsInt);
    }

    /** An exchange learned by another instance was applied here this long after the store took it. */
    public void storeCatchUp(Duration lag) {
        Timer timer = meter("store-catch-up", () -> registry.getOrCreate(Timer.builder("shammah.store.catchup")
                .buckets(MeterBuckets.CATCH_UP.bounds())
                .description("From an exchange stored by another instance to its being servable here")));
        timer.record(lag);
    }

    /** A learned exchange could not be written to the shared store (it was out of reach) and was dropped. */
    public void storeDropped() {
        Counter count = meter("store-dropped", () -> registry.getOrCreate(Counter.builder("shammah.store.dropped")
                .description("Learned exchanges dropped because the shared store was out of reach")));
        count.increment();
    }

    /** Publishes the LoRA trainer's progress (the user's model fine-tuned on the teacher's answers). */
    public void bindTraining(LongSupplier steps, LongSupplier examples, DoubleSupplier loss) {
        gauge("shammah.training.steps", "LoRA optimizer steps", steps::getAsLong);
        gauge("shammah.training.examples", "Teacher answers offered to the LoRA trainer", examples::getAsLong);
        gauge("shammah.training.loss", "Held-back loss of the last LoRA candidate", () -> {
            double l = loss.getAsDouble();
            return Double.isNaN(l) ? 0 : l;
        });
    }

    @Override
    public void created(String id) {
        sessionsCreated.increment();
    }

    @Override
    public void expired(String id) {
        sessionsExpired.increment();
    }

    @Override
    public void deleted(String id) {
        sessionsDeleted.increment();
    }

    @Override
    public void evicted(String id) {
        sessionsEvicted.increment();
    }
}
