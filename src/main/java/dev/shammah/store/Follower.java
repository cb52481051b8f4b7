package dev.shammah.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.shammah.config.ConfigException;
import dev.shammah.local.TeacherMemory;
import dev.shammah.routing.Evidence;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Keeps this instance's copies — the memory the router looks exchanges up in, and the evidence it decides by —
 * following the shared store, on one thread of its own. It listens on {@value Changes#CHANNEL} and, when told (or
 * every {@code store.poll-interval}, should a notification be lost), reads everything numbered above the highest
 * change it has applied, in one snapshot, and applies it in number order ({@link Changes} explains why that misses
 * nothing). The first catch-up reads the whole store: the local memory is rebuilt from the table at every start.
 *
 * <p>It is {@linkplain #current() current} once it has caught up and for as long as it reaches the store; while it
 * cannot, the router forwards everything (a verdict against a stored answer may have been recorded by an instance
 * it cannot hear), and when the store is back it writes what waited, runs the reconnection hooks, catches up, and
 * local answers resume.
 */
final class Follower implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Follower.class.getName());
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final Duration SCHEMA_RETRY = Duration.ofSeconds(30);

    private final Database db;
    private final String instance;
    private final TeacherMemory memory;
    private final EvidenceOutbox outbox;
    /** Exchanges this instance is writing itself: applied here already, skipped when read back. */
    private final Set<String> own;
    private final List<Runnable> onReconnect = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Consumer<Duration> lagObserver;
    private final Thread thread;
    private final Object wake = new Object();
    private final AtomicLong applied = new AtomicLong();

    private volatile boolean closed;
    private volatile boolean current;
    private volatile boolean reachable;
    private volatile boolean schemaChecked;
    private volatile String problem = "not connected to the store yet";
    private volatile Instant caughtUpAt;
    private volatile Duration lastLag = Duration.ZERO;
    /** Only the follower's thread reads or writes these. */
    private long watermark;
    private String storeId;
    private Connection listen;

    /**
     * @param unreachable why the store could not be reached at start, or null when it could (its schema then
     *                    checked)
     */
    Follower(Database db, String instance, TeacherMemory memory, EvidenceOutbox outbox, Set<String> own,
             String unreachable, Consumer<Duration> lagObserver) {
        this.db = db;
        this.instance = instance;
        this.memory = memory;
        this.outbox = outbox;
        this.own = own;
        this.schemaChecked = unreachable == null;
        if (unreachable != null) {
            this.problem = "store unreachable: " + unreachable;
        }
        this.lagObserver = lagObserver;
        this.thread = new Thread(this::run, "shammah-store-follower");
        thread.setDaemon(true);
    }

    /** Run after each (re)connection, before local answers resume: what waited for the store is written then. */
    void onReconnect(Runnable hook) {
        onReconnect.add(hook);
    }

    /** Starts following, and waits at most {@code wait} for the first catch-up (the whole store). */
    void start(Duration wait) {
        thread.start();
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (wake) {
            while (!current && !closed && System.nanoTime() < deadline) {
                try {
                    wake.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    boolean current() {
        return current;
    }

    /** Whether the last attempt to reach the store succeeded (it may still be catching up). */
    boolean reachable() {
        return reachable;
    }

    /** Why it is not current; null when it is. */
    String problem() {
        return problem;
    }

    /** When it last caught up; null before the first time. */
    Instant caughtUpAt() {
        return caughtUpAt;
    }

    /** From "stored by another instance" to "applied here", for the newest exchange applied. */
    Duration lastLag() {
        return lastLag;
    }

    long applied() {
        return applied.get();
    }

    /** The highest change applied (tests). */
    long watermark() {
        return watermark;
    }

    /** Another user of the store failed to reach it: stop answering locally now, rather than at the next poll. */
    void failed(Throwable e) {
        if (current) {
            LOG.warning("Shared store: " + Database.describe(e) + "; forwarding every request until it is back");
        }
        current = false;
        reachable = false;
        problem = "store unreachable: " + Database.describe(e);
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    private void run() {
        Duration backoff = Duration.ofMillis(100);
        while (!closed) {
            try {
                if (!schemaChecked) {
                    Schema.check(db.dataSource(), db.settings().url());
                    schemaChecked = true;
                }
                if (listen == null) {
                    listen = db.dedicated();
                    try (Statement s = listen.createStatement()) {
                        s.execute("LISTEN " + Changes.CHANNEL);
                    }
                }
                reachable = true;
                outbox.flush(db, instance);
                if (!current) {
                    onReconnect.forEach(Runnable::run);
                }
                catchUp();
                if (!current) {
                    LOG.info(caughtUpAt == null ? "Following the shared store (" + applied.get() + " changes loaded)"
                            : "The shared store is back; local answers resume");
                }
                caughtUpAt = Instant.now();
                problem = null;
                current = true;
                synchronized (wake) {
                    wake.notifyAll();
                }
                backoff = Duration.ofMillis(100);
                awaitChange();
            } catch (ConfigException e) {
                lost(e.getMessage(), e);
                pause(SCHEMA_RETRY);
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    break;
                }
                lost("store unreachable: " + Database.describe(e), e);
                pause(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
        closeListen();
    }

    private void lost(String why, Throwable e) {
        // Once per outage, not once per retry.
        if (current || caughtUpAt == null && problem != null && problem.startsWith("not connected")) {
            LOG.warning("Shared store: " + why + "; forwarding every request until it is back");
        }
        LOG.log(Level.FINE, "shared store failure: " + why, e);
        current = false;
        reachable = false;
        problem = why;
        closeListen();
    }

    private void pause(Duration d) {
        synchronized (wake) {
            if (!closed) {
                try {
                    wake.wait(Math.max(1, d.toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    closed = true;
                }
            }
        }
    }

    /** Blocks until another instance announces a change, or the poll interval passes. */
    private void awaitChange() throws SQLException {
        PGConnection pg = listen.unwrap(PGConnection.class);
        long deadline = System.nanoTime() + db.settings().pollInterval().toNanos();
        while (!closed) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return;
            }
            PGNotification[] got = pg.getNotifications((int) Math.min(Integer.MAX_VALUE, left));
            if (got != null) {
                for (PGNotification n : got) {
                    if (!instance.equals(n.getParameter())) {
                        return;
                    }
                }
            }
        }
    }

    /** Everything above the watermark, in one snapshot, applied in change order. */
    private void catchUp() throws SQLException {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                if (replaced(c)) {
                    LOG.warning("The shared store was replaced (another database, or one restored from an older "
                            + "backup): rebuilding this instance's copy from it");
                    memory.clear();
                    outbox.reset();
                    watermark = 0;
                }
                if (watermark == 0) {
                    loadAll(c);
                } else {
                    applyChanges(c);
                }
                c.commit();
            } finally {
                c.setReadOnly(false);
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                c.setAutoCommit(true);
            }
        }
    }

    /** Whether the store is not the one this copy followed: another store id, or change numbers gone backwards. */
    private boolean replaced(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select store_id::text, (select last_value from change_seq) from store_info")) {
            r.next();
            String id = r.getString(1);
            long last = r.getLong(2);
            boolean replaced = storeId != null && (!storeId.equals(id) || last < watermark);
            storeId = id;
            return replaced;
        }
    }

    /** The first catch-up: every table read whole (nothing forgotten matters: it is already gone from them). */
    private void loadAll(Connection c) throws SQLException {
        long max = 0;
        try (PreparedStatement s = c.prepareStatement("select " + ExchangeRows.COLUMNS + " from exchanges order by seq")) {
            s.setFetchSize(1000);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ExchangeRows.Row row = ExchangeRows.read(r);
                    if (!own.remove(row.exchange().id())) {
                        memory.add(row.exchange(), row.keys());
                    }
                    applied.incrementAndGet();
                    max = Math.max(max, row.seq());
                }
            }
        }
        for (Change ch : read(c, 0, false)) {
            ch.apply(this);
            max = Math.max(max, ch.seq());
        }
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("select coalesce(max(seq), 0) from forgotten")) {
            r.next();
            max = Math.max(max, r.getLong(1));
        }
        memory.refresh();
        watermark = max;
    }

    private void applyChanges(Connection c) throws SQLException {
        List<Change> changes = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("select " + ExchangeRows.COLUMNS + " from exchanges where seq > ?")) {
            s.setLong(1, watermark);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ExchangeRows.Row row = ExchangeRows.read(r);
                    changes.add(new Change.Learned(row));
                }
            }
        }
        changes.addAll(read(c, watermark, true));
        if (changes.isEmpty()) {
            return;
        }
        changes.sort(Comparator.comparingLong(Change::seq));
        for (Change ch : changes) {
            ch.apply(this);
            watermark = Math.max(watermark, ch.seq());
        }
    }

    /** Evidence, blocked shapes, agreement scores and (after the first catch-up) what was forgotten, above {@code from}. */
    private List<Change> read(Connection c, long from, boolean forgotten) throws SQLException {
        List<Change> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("select seq, tenant, subject, passes, fails from evidence where seq > ?")) {
            s.setLong(1, from);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new Change.Counted(r.getLong(1), r.getString(2), r.getString(3),
                            new Evidence.Counts(r.getLong(4), r.getLong(5))));
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement("select seq, tenant, shape from blocked_shapes where seq > ?")) {
            s.setLong(1, from);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new Change.Blocked(r.getLong(1), r.getString(2), r.getString(3)));
                }
            }
        }
        // Only the newest scores are ever kept per tenant: a first catch-up need not read older ones.
        try (PreparedStatement s = c.prepareStatement("select seq, tenant, instance, score from (select *, row_number() "
                + "over (partition by tenant order by seq desc) as newest from agreement where seq > ?) a "
                + "where newest <= ? order by seq")) {
            s.setLong(1, from);
            s.setInt(2, Evidence.AGREEMENT_SAMPLES);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new Change.Agreed(r.getLong(1), r.getString(2), r.getString(3), r.getDouble(4)));
                }
            }
        }
        if (forgotten) {
            try (PreparedStatement s = c.prepareStatement("select seq, tenant, exchange_id from forgotten where seq > ?")) {
                s.setLong(1, from);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(new Change.Forgotten(r.getLong(1), r.getString(2), r.getString(3)));
                    }
                }
            }
        }
        return out;
    }

    /** One change read from the store, applied to this instance's copies. */
    private sealed interface Change {
        long seq();

        void apply(Follower f);

        record Learned(ExchangeRows.Row row) implements Change {
            public long seq() {
                return row.seq();
            }

            public void apply(Follower f) {
                if (f.own.remove(row.exchange().id())) {
                    return;
                }
                f.memory.put(row.exchange(), row.keys());
                f.applied.incrementAndGet();
                Duration lag = Duration.between(row.storedAt(), Instant.now());
                f.lastLag = lag.isNegative() ? Duration.ZERO : lag;
                f.lagObserver.accept(f.lastLag);
            }
        }

        record Counted(long seq, String tenant, String subject, Evidence.Counts counts) implements Change {
            public void apply(Follower f) {
                f.outbox.apply(tenant, subject, counts, seq);
                f.applied.incrementAndGet();
            }
        }

        record Blocked(long seq, String tenant, String shape) implements Change {
            public void apply(Follower f) {
                f.outbox.evidence().putBlocked(tenant, shape);
                f.applied.incrementAndGet();
            }
        }

        record Agreed(long seq, String tenant, String instance, double score) implements Change {
            public void apply(Follower f) {
                // This instance counted its own scores when it measured them.
                if (!instance.equals(f.instance)) {
                    f.outbox.evidence().putAgreement(tenant, score);
                }
                f.applied.incrementAndGet();
            }
        }

        record Forgotten(long seq, String tenant, String exchangeId) implements Change {
            public void apply(Follower f) {
                if (exchangeId == null) {
                    f.memory.deleteTenant(tenant);
                    f.outbox.evidence().forget(tenant);
                    f.outbox.forget(tenant);
                } else {
                    f.memory.delete(tenant, exchangeId);
                    f.outbox.evidence().forgetExchanges(tenant, List.of(exchangeId));
                }
                f.applied.incrementAndGet();
            }
        }
    }

    private void closeListen() {
        Connection l = listen;
        listen = null;
        if (l != null) {
            try {
                l.close();
            } catch (SQLException ignored) {
                // Already broken.
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        current = false;
        synchronized (wake) {
            wake.notifyAll();
        }
        // A thread blocked reading notifications wakes when its connection closes under it.
        Connection l = listen;
        if (l != null) {
            try {
                l.abort(Runnable::run);
            } catch (SQLException ignored) {
                // Closed already.
            }
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
