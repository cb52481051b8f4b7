package dev.shammah.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The {@link Follower}'s own connection: it listens on {@value Changes#CHANNEL}, and reads every catch-up in one
 * read-only snapshot (repeatable read) — set once here rather than on a pooled connection at every round.
 * Notifications that arrive during a catch-up wait for its end. Opened, read and closed on the follower's thread;
 * {@link #abort} comes from the thread that closes the follower.
 */
final class ListenConnection {
    private final Database db;
    private final Changes changes;
    /** Volatile for {@link #abort}, which reads it from another thread. */
    private volatile Connection connection;

    ListenConnection(Changes changes) {
        this.db = changes.db();
        this.changes = changes;
    }

    boolean isOpen() {
        return connection != null;
    }

    void open() throws SQLException {
        Connection c = db.dedicated();
        try (Statement s = c.createStatement()) {
            s.execute("LISTEN " + Changes.CHANNEL);
        }
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        c.setReadOnly(true);
        connection = c;
    }

    /** One round's reading, in this connection's snapshot, which it then ends. */
    void catchUp(Position position, boolean connected, Announced announced) throws SQLException {
        position.catchUp(connection, connected, announced);
        // Ends the snapshot: the next round sees what was committed since.
        connection.commit();
    }

    /**
     * Blocks until another instance announces a change, or the poll interval passes; returns what changed (all of
     * it after a poll). This instance's own changes are applied as they are made, and do not wake it.
     */
    Announced awaitChange(BooleanSupplier closed) throws SQLException {
        PGConnection pg = connection.unwrap(PGConnection.class);
        long deadline = System.nanoTime() + db.settings().pollInterval().toNanos();
        while (!closed.getAsBoolean()) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return Announced.ALL;
            }
            PGNotification[] got = pg.getNotifications((int) Math.min(Integer.MAX_VALUE, left));
            Announced a = Announced.NONE;
            for (PGNotification n : got == null ? new PGNotification[0] : got) {
                a = a.and(Announced.parse(n.getParameter(), changes.instance()));
            }
            if (!a.kinds().isEmpty()) {
                return a;
            }
        }
        return Announced.ALL;
    }

    void close() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // Already broken.
            }
        }
    }

    /** From another thread: a thread blocked reading notifications wakes when its connection closes under it. */
    void abort() {
        Connection c = connection;
        if (c != null) {
            try {
                c.abort(Runnable::run);
            } catch (SQLException ignored) {
                // Closed already.
            }
        }
    }
}
