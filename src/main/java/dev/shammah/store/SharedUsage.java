package dev.shammah.store;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.shammah.json.Json;
import dev.shammah.metrics.Usage;
import dev.shammah.metrics.UsageElsewhere;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObjectBuilder;

/**
 * Usage in the shared store ({@code usage_hours}), so that instances add up: once a second this instance writes the
 * rows of its own {@link Usage} that changed since it last wrote them — whole, under its data dir's node id, so a
 * write repeated after a failure or a restart never counts twice — and reads what the others have spent per
 * tenant and day, which its budgets add to its own. A report reads the others' rows when it is asked for.
 *
 * <p>While the database is out of reach the rows wait in memory (the data dir keeps them anyway) and are written
 * when it is back; budgets go on with the others' spend as last read.
 */
final class SharedUsage implements UsageElsewhere, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SharedUsage.class.getName());
    /** Days of the others' spend kept for budgets: the longest period (a month) and the day it began in. */
    private static final int SPEND_DAYS = 32;
    private static final String COLUMNS = "hour, tenant, model, requests, local_by_route::text, forwarded, refused, "
            + "checks, teacher_input_tokens, teacher_output_tokens, saved_input_tokens, saved_output_tokens, "
            + "spent_micros, saved_micros";

    private final Database db;
    private final String node;
    private final Usage usage;
    private final Clock clock;
    private final int keepDays;
    private final ScheduledExecutorService timer;
    /** The rows as this instance last wrote them: a row equal to its entry here need not be written again. */
    private final Map<Usage.Key, Usage.Row> written = new HashMap<>();
    /** The others' spend per tenant and UTC day, in millionths, as last read. */
    private volatile Map<String, Map<Instant, Long>> othersSpent = Map.of();
    private Instant prunedDay;
    /**
     * Rows before this hour are not compared with what was written: requests are counted at the time they end, so
     * after one whole write only the current hour's rows (and, for a request that ended as the hour turned, the
     * previous one's) can change. Null until the first write, which covers every kept day.
     */
    private Instant changingFrom;
    private boolean failing;

    SharedUsage(Database db, String node, Usage usage, Clock clock, int keepDays) {
        this.db = db;
        this.node = node;
        this.usage = usage;
        this.clock = clock;
        this.keepDays = keepDays;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "shammah-store-usage");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::sync, 0, 1, TimeUnit.SECONDS);
        usage.shareWith(this);
    }

    private Instant cutoff() {
        return clock.instant().truncatedTo(ChronoUnit.DAYS).minus(keepDays - 1L, ChronoUnit.DAYS);
    }

    private void sync() {
        try {
            write();
            readSpent();
            if (failing) {
                LOG.info("Usage is written to the shared store again");
                failing = false;
            }
        } catch (SQLException | RuntimeException e) {
            if (!failing) {
                LOG.log(Level.WARNING, "Could not share usage through the store (will retry every second): "
                        + Database.describe(e));
                failing = true;
            }
        }
    }

    /** Writes this instance's rows that changed, and once a day deletes everyone's rows past the kept days. */
    synchronized void write() throws SQLException {
        Instant cutoff = cutoff();
        Instant from = changingFrom == null || changingFrom.isBefore(cutoff) ? cutoff : changingFrom;
        Instant next = clock.instant().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS);
        List<Usage.Row> changed = new ArrayList<>();
        for (Usage.Row r : usage.rows(k -> !k.hour().isBefore(from))) {
            if (!r.equals(written.get(r.key()))) {
                changed.add(r);
            }
        }
        boolean prune = !cutoff.equals(prunedDay);
        if (changed.isEmpty() && !prune) {
            changingFrom = next;
            return;
        }
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement up = c.prepareStatement("insert into usage_hours (node, " + COLUMNS.replace(
                    "local_by_route::text", "local_by_route") + ", written_at) values (?, ?, ?, ?, ?, cast(? as jsonb), "
                    + "?, ?, ?, ?, ?, ?, ?, ?, ?, now()) on conflict (node, hour, tenant, model) do update set "
                    + "requests = excluded.requests, local_by_route = excluded.local_by_route, "
                    + "forwarded = excluded.forwarded, refused = excluded.refused, checks = excluded.checks, "
                    + "teacher_input_tokens = excluded.teacher_input_tokens, "
                    + "teacher_output_tokens = excluded.teacher_output_tokens, "
                    + "saved_input_tokens = excluded.saved_input_tokens, "
                    + "saved_output_tokens = excluded.saved_output_tokens, spent_micros = excluded.spent_micros, "
                    + "saved_micros = excluded.saved_micros, written_at = now()")) {
                for (Usage.Row r : changed) {
                    JsonObjectBuilder local = Json.createObjectBuilder();
                    r.local().forEach(local::add);
                    up.setString(1, node);
                    up.setTimestamp(2, Timestamp.from(r.key().hour()));
                    up.setString(3, r.key().tenant());
                    up.setString(4, r.key().model());
                    up.setLong(5, r.requests());
                    up.setString(6, local.build().toString());
                    up.setLong(7, r.forwarded());
                    up.setLong(8, r.refused());
                    up.setLong(9, r.checks());
                    up.setLong(10, r.teacherInputTokens());
                    up.setLong(11, r.teacherOutputTokens());
                    up.setLong(12, r.savedInputTokens());
                    up.setLong(13, r.savedOutputTokens());
                    up.setLong(14, r.spentMicros());
                    up.setLong(15, r.savedMicros());
                    up.addBatch();
                }
                up.executeBatch();
            }
            if (prune) {
                try (PreparedStatement del = c.prepareStatement("delete from usage_hours where hour < ?")) {
                    del.setTimestamp(1, Timestamp.from(cutoff));
                    del.executeUpdate();
                }
            }
            c.commit();
        }
        changed.forEach(r -> written.put(r.key(), r));
        written.keySet().removeIf(k -> k.hour().isBefore(next));
        prunedDay = cutoff;
        changingFrom = next;
    }

    /** Reads what the other instances have spent per tenant and day over the longest budget period. */
    void readSpent() throws SQLException {
        Instant since = clock.instant().truncatedTo(ChronoUnit.DAYS).minus(SPEND_DAYS, ChronoUnit.DAYS);
        Map<String, Map<Instant, Long>> spent = new HashMap<>();
        try (Connection c = db.connection();
             PreparedStatement q = c.prepareStatement("select tenant, floor(extract(epoch from hour) / 86400)::bigint, "
                     + "sum(spent_micros)::bigint from usage_hours where node <> ? and hour >= ? and spent_micros > 0 "
                     + "group by 1, 2")) {
            q.setString(1, node);
            q.setTimestamp(2, Timestamp.from(since));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    spent.computeIfAbsent(rs.getString(1), t -> new HashMap<>())
                            .put(Instant.ofEpochSecond(rs.getLong(2) * 86400), rs.getLong(3));
                }
            }
        }
        othersSpent = spent;
    }

    @Override
    public long spentMicros(String tenant, Instant since) {
        Map<Instant, Long> days = othersSpent.get(tenant);
        if (days == null) {
            return 0;
        }
        long sum = 0;
        for (Map.Entry<Instant, Long> d : days.entrySet()) {
            if (!d.getKey().isBefore(since)) {
                sum += d.getValue();
            }
        }
        return sum;
    }

    @Override
    public List<Usage.Row> rows(Usage.Filter filter) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from usage_hours where node <> ?");
        List<Object> args = new ArrayList<>(List.of(node));
        if (filter.tenant() != null) {
            sql.append(" and tenant = ?");
            args.add(filter.tenant());
        }
        if (filter.model() != null) {
            sql.append(" and model = ?");
            args.add(filter.model());
        }
        if (filter.from() != null) {
            sql.append(" and hour >= ?");
            args.add(Timestamp.from(filter.from()));
        }
        if (filter.to() != null) {
            sql.append(" and hour < ?");
            args.add(Timestamp.from(filter.to()));
        }
        try (Connection c = db.connection(); PreparedStatement q = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                q.setObject(i + 1, args.get(i));
            }
            List<Usage.Row> rows = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(Database.describe(e), e);
        }
    }

    private static Usage.Row row(ResultSet rs) throws SQLException {
        Map<String, Long> local = new TreeMap<>();
        try (var reader = Json.createReader(new StringReader(rs.getString(5)))) {
            reader.readObject().forEach((k, v) -> local.put(k, ((JsonNumber) v).longValue()));
        }
        return new Usage.Row(new Usage.Key(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3)),
                rs.getLong(4), Map.copyOf(local), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9),
                rs.getLong(10), rs.getLong(11), rs.getLong(12), rs.getLong(13), rs.getLong(14));
    }

    /** Stops the timer and writes what changed since its last run, if the database answers. */
    @Override
    public void close() {
        timer.shutdown();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
            write();
        } catch (SQLException | RuntimeException e) {
            LOG.warning("Could not write the last usage to the shared store at stop: " + Database.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        usage.shareWith(UsageElsewhere.NONE);
    }
}
