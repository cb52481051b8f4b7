package dev.shammah.store;

import java.io.IOException;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.shammah.routing.Evidence;

/**
 * The instances sharing a store: each writes a heartbeat every {@value #HEARTBEAT_SECONDS} s and counts the live
 * ones (for its share of the rate limits); an instance silent for {@value #DEAD_SECONDS} s is taken for dead, and
 * the turns it held are free. Once a minute one instance (whichever takes the lock) tidies what only grows: old
 * agreement scores, instances long gone.
 */
final class Instances implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Instances.class.getName());
    static final int HEARTBEAT_SECONDS = 2;
    static final int DEAD_SECONDS = 10;

    private final Database db;
    private final String id;
    private final String description;
    private final ScheduledExecutorService timer;
    private volatile int live = 1;

    Instances(Database db, String description) {
        this.db = db;
        this.id = newId();
        this.description = description;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "shammah-store-heartbeat");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::heartbeat, 0, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
        timer.scheduleWithFixedDelay(this::tidy, 60, 60, TimeUnit.SECONDS);
    }

    /** host:pid:random — readable in the instances table and in held turns, unique per process. */
    private static String newId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        byte[] r = new byte[4];
        ThreadLocalRandom.current().nextBytes(r);
        return host + ":" + ProcessHandle.current().pid() + ":" + HexFormat.of().formatHex(r);
    }

    String id() {
        return id;
    }

    /** Live instances sharing the store, this one included (the last count; 1 until the first heartbeat). */
    int live() {
        return live;
    }

    /** SQL that is true when {@code column} names an instance whose heartbeat stopped. */
    static String dead(String column) {
        return "not exists (select 1 from instances i where i.id = " + column
                + " and i.heartbeat_at > now() - interval '" + DEAD_SECONDS + " seconds')";
    }

    private void heartbeat() {
        try (Connection c = db.connection()) {
            try (PreparedStatement s = c.prepareStatement("insert into instances (id, description) values (?, ?) "
                    + "on conflict (id) do update set heartbeat_at = now()")) {
                s.setString(1, id);
                s.setString(2, description);
                s.executeUpdate();
            }
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("select count(*) from instances "
                    + "where heartbeat_at > now() - interval '" + DEAD_SECONDS + " seconds'")) {
                r.next();
                live = Math.max(1, r.getInt(1));
            }
        } catch (SQLException | RuntimeException e) {
            // The follower reports outages; the last count stands meanwhile.
            LOG.log(Level.FINE, "heartbeat failed", e);
        }
    }

    private void tidy() {
        try (Connection c = db.connection()) {
            Locked.ifFree(c, Locked.HOUSEKEEPING, tx -> {
                try (Statement s = tx.createStatement()) {
                    // Only the newest few hundred agreement scores per tenant are ever read.
                    s.executeUpdate("delete from agreement a using (select seq, row_number() over (partition by tenant "
                            + "order by seq desc) as newest from agreement) o where a.seq = o.seq and o.newest > "
                            + Evidence.AGREEMENT_SAMPLES);
                    s.executeUpdate("delete from instances where heartbeat_at < now() - interval '1 day'");
                }
                return true;
            });
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.FINE, "store housekeeping failed", e);
        }
    }

    /** Stops the heartbeat and leaves the table, so the others count one fewer at once. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement("delete from instances where id = ?")) {
            s.setString(1, id);
            s.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.FINE, "could not leave the instances table", e);
        }
    }
}
