package dev.shammah.metrics;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * What Shammah did, per tenant, model and hour: requests, how they were answered (locally by route, forwarded,
 * refused), the teacher's tokens used and saved, and the dollars those are worth at the configured prices. Held
 * here in memory and made durable by {@link UsageFiles}; read by {@code GET /admin/usage}.
 *
 * <p>A local answer's tokens are what the teacher would have been paid for (the estimate its reply reports); a
 * forwarded one's are the teacher's own usage. Dollars are counted when the request is, at the prices of the day,
 * so a later price change does not rewrite the past.
 */
public final class Usage {
    /**
     * How one request ended, for the counters; {@code CHECK} is not a request but a teacher call Shammah made of its
     * own, off the request's path (verifying a local answer): it costs teacher tokens like a forward.
     */
    public enum Outcome {
        LOCAL, FORWARDED, REFUSED, CHECK
    }

    /** One hour of one tenant's use of one model. */
    public record Key(Instant hour, String tenant, String model) {
    }

    /**
     * Which rows a report wants: an exact tenant and model (null for all), hours from {@code from} (included) to
     * {@code to} (excluded), either open when null.
     */
    public record Filter(String tenant, String model, Instant from, Instant to) {
        public static final Filter ALL = new Filter(null, null, null, null);

        public boolean test(Key k) {
            return (tenant == null || k.tenant().equals(tenant)) && (model == null || k.model().equals(model))
                    && (from == null || !k.hour().isBefore(from)) && (to == null || k.hour().isBefore(to));
        }
    }

    /**
     * Rows of every instance sharing a store: this one's (fresh, from memory) and the others' (as they last wrote
     * them); {@code problem} says why the others' are missing, null when they are in.
     */
    public record Everywhere(List<Row> rows, String problem) {
    }

    /**
     * Counters of one {@link Key}; {@code local} by the router's reason ({@code same}, {@code wrapped},
     * {@code reworded}, {@code generator} …); {@code checks} are Shammah's own teacher calls (their tokens and dollars
     * are in the teacher's and the spent figures). Dollars in millionths, so that sums stay exact.
     */
    public record Row(Key key, long requests, Map<String, Long> local, long forwarded, long refused, long checks,
                      long teacherInputTokens, long teacherOutputTokens, long savedInputTokens,
                      long savedOutputTokens, long spentMicros, long savedMicros) {
        public long localTotal() {
            return local.values().stream().mapToLong(Long::longValue).sum();
        }

        Row plus(Row o) {
            return new Row(key, requests + o.requests, plus(local, o.local), forwarded + o.forwarded, refused + o.refused,
                    checks + o.checks, teacherInputTokens + o.teacherInputTokens, teacherOutputTokens + o.teacherOutputTokens,
                    savedInputTokens + o.savedInputTokens, savedOutputTokens + o.savedOutputTokens,
                    spentMicros + o.spentMicros, savedMicros + o.savedMicros);
        }

        /** Local answers by reason, summed; without a copy where one side is empty (a forward's, every other request's). */
        private static Map<String, Long> plus(Map<String, Long> a, Map<String, Long> b) {
            if (b.isEmpty()) {
                return a;
            }
            if (a.isEmpty()) {
                return b;
            }
            if (a.size() == 1 && b.size() == 1) {
                Map.Entry<String, Long> x = a.entrySet().iterator().next();
                Long y = b.get(x.getKey());
                if (y != null) {
                    return Map.of(x.getKey(), x.getValue() + y);
                }
            }
            Map<String, Long> l = new TreeMap<>(a);
            b.forEach((k, v) -> l.merge(k, v, Long::sum));
            return Map.copyOf(l);
        }

        static Row empty(Key key) {
            return new Row(key, 0, Map.of(), 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }
    }

    private final double inputPrice;
    private final double outputPrice;
    private final Map<Key, Row> rows = new ConcurrentHashMap<>();
    /** Teacher spend per tenant and UTC day, in millionths: what a budget is checked against, without a scan. */
    private final Map<String, Map<Instant, AtomicLong>> spentByDay =
            new ConcurrentHashMap<>();
    /** Days (UTC midnights) with rows changed since the last {@link #takeChanged()}: what a flush must write. */
    private final Set<Instant> changedDays = ConcurrentHashMap.newKeySet();
    /** What the other instances sharing a store counted; none for an instance on its own. */
    private volatile UsageElsewhere elsewhere = UsageElsewhere.NONE;

    /**
     * @param inputPrice  dollars per million teacher input tokens
     * @param outputPrice dollars per million teacher output tokens
     */
    public Usage(double inputPrice, double outputPrice) {
        this.inputPrice = inputPrice;
        this.outputPrice = outputPrice;
    }

    /**
     * Counts one request.
     *
     * @param reason       the router's reason for a local answer (null otherwise)
     * @param inputTokens  the reply's input tokens, or -1 when it had none (refused)
     * @param outputTokens the reply's output tokens, or -1
     */
    public void record(Instant at, String tenant, String model, Outcome outcome, String reason, long inputTokens,
                       long outputTokens) {
        Key key = new Key(at.truncatedTo(ChronoUnit.HOURS), tenant == null ? "" : tenant, model == null ? "" : model);
        long in = Math.max(0, inputTokens);
        long out = Math.max(0, outputTokens);
        long micros = Math.round(in * inputPrice + out * outputPrice);
        Row add = switch (outcome) {
            case LOCAL -> new Row(key, 1, Map.of(reason == null ? "local" : reason, 1L), 0, 0, 0, 0, 0, in, out, 0,
                    micros);
            case FORWARDED -> new Row(key, 1, Map.of(), 1, 0, 0, in, out, 0, 0, micros, 0);
            case REFUSED -> new Row(key, 1, Map.of(), 0, 1, 0, 0, 0, 0, 0, 0, 0);
            case CHECK -> new Row(key, 0, Map.of(), 0, 0, 1, in, out, 0, 0, micros, 0);
        };
        rows.merge(key, add, Row::plus);
        // Read first: the day is almost always marked already, and a read takes no lock where an add does. A
        // flush that unmarks it after this read reads the rows after unmarking, so it still sees this one.
        Instant day = key.hour().truncatedTo(ChronoUnit.DAYS);
        if (!changedDays.contains(day)) {
            changedDays.add(day);
        }
        addSpent(key, add.spentMicros());
    }

    private void addSpent(Key key, long micros) {
        if (micros > 0) {
            spentByDay.computeIfAbsent(key.tenant(), t -> new ConcurrentHashMap<>())
                    .computeIfAbsent(key.hour().truncatedTo(ChronoUnit.DAYS), d -> new AtomicLong())
                    .addAndGet(micros);
        }
    }

    /** Counts what other instances sharing a store counted too, in {@link #everywhere} and {@link #spentMicros}. */
    public void shareWith(UsageElsewhere elsewhere) {
        this.elsewhere = elsewhere;
    }

    /**
     * What {@code tenant}'s teacher calls cost from {@code since} (a UTC midnight) on, in millionths: here, and on
     * the other instances sharing a store as far as they have written it.
     */
    public long spentMicros(String tenant, Instant since) {
        long sum = elsewhere.spentMicros(tenant, since);
        Map<Instant, AtomicLong> days = spentByDay.get(tenant);
        if (days == null) {
            return sum;
        }
        for (Map.Entry<Instant, AtomicLong> d : days.entrySet()) {
            if (!d.getKey().isBefore(since)) {
                sum += d.getValue().get();
            }
        }
        return sum;
    }

    /** The rows that match, oldest hour first. */
    public List<Row> rows(Predicate<Key> filter) {
        List<Row> out = new ArrayList<>();
        rows.forEach((k, r) -> {
            if (filter.test(k)) {
                out.add(r);
            }
        });
        out.sort(ORDER);
        return out;
    }

    /**
     * The rows that match, of this instance and of the others sharing a store, one row per key, oldest hour first.
     * The others' are left out, and said why, when they cannot be read.
     */
    public Everywhere everywhere(Filter filter) {
        List<Row> own = rows(filter::test);
        List<Row> others;
        try {
            others = elsewhere.rows(filter);
        } catch (RuntimeException e) {
            return new Everywhere(own, "the other instances' usage could not be read: " + e.getMessage());
        }
        if (others.isEmpty()) {
            return new Everywhere(own, null);
        }
        Map<Key, Row> merged = new HashMap<>();
        for (Row r : own) {
            merged.merge(r.key(), r, Row::plus);
        }
        for (Row r : others) {
            merged.merge(r.key(), r, Row::plus);
        }
        List<Row> all = new ArrayList<>(merged.values());
        all.sort(ORDER);
        return new Everywhere(all, null);
    }

    private static final Comparator<Row> ORDER = Comparator.comparing((Row r) -> r.key().hour())
            .thenComparing(r -> r.key().tenant()).thenComparing(r -> r.key().model());

    /** The sum of some rows (its key is null: a sum is of no one hour, tenant or model). */
    public static Row total(List<Row> rows) {
        Row t = Row.empty(null);
        for (Row r : rows) {
            t = t.plus(r);
        }
        return t;
    }

    /** Days (UTC midnights) with rows changed since the last call. */
    List<Instant> takeChanged() {
        List<Instant> days = new ArrayList<>(changedDays);
        days.forEach(changedDays::remove);
        return days;
    }

    /** Rows read back from disk at start. */
    void load(Row row) {
        rows.merge(row.key(), row, Row::plus);
        addSpent(row.key(), row.spentMicros());
    }

    /** Forgets rows before {@code cutoff}. */
    void prune(Instant cutoff) {
        rows.keySet().removeIf(k -> k.hour().isBefore(cutoff));
        spentByDay.values().forEach(days -> days.keySet().removeIf(d -> d.isBefore(cutoff)));
    }
}
