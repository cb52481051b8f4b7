package dev.shammah.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * One transaction holding one transaction-scoped advisory lock: the change lock every replicated write waits for
 * ({@link Changes}), or a housekeeping lock that whichever instance takes it first holds while the others skip the
 * round. Committed when the work returns, rolled back when it throws.
 */
final class Locked {
    /** The change lock: "shammah" in ASCII. */
    static final long CHANGES = 0x7368616d6d6168L;
    /** The session reaper's and limits' lock: "shammahs". */
    static final long SESSIONS = 0x7368616d6d616873L;
    /** Pruning what only grows: "shammahh". */
    static final long HOUSEKEEPING = 0x7368616d6d616868L;

    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private Locked() {
    }

    /** Waits for the lock, then runs {@code work}. */
    static <T> T run(Connection c, long key, Work<T> work) throws SQLException {
        return run(c, key, true, work);
    }

    /** Runs {@code work} if the lock is free now; null (nothing done) when another holds it. */
    static <T> T ifFree(Connection c, long key, Work<T> work) throws SQLException {
        return run(c, key, false, work);
    }

    private static <T> T run(Connection c, long key, boolean wait, Work<T> work) throws SQLException {
        c.setAutoCommit(false);
        try {
            try (PreparedStatement lock = c.prepareStatement(wait ? "select pg_advisory_xact_lock(?), true"
                    : "select pg_try_advisory_xact_lock(?)")) {
                lock.setLong(1, key);
                try (ResultSet r = lock.executeQuery()) {
                    r.next();
                    if (!r.getBoolean(wait ? 2 : 1)) {
                        c.rollback();
                        return null;
                    }
                }
            }
            T out = work.run(c);
            c.commit();
            return out;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // The connection is broken; the pool discards it.
            }
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }
}
